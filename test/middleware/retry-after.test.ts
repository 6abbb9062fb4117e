import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../../src/index.ts';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const MAX = 21_600_000;

describe('parseRetryAfter', () => {
  it('reads delay-seconds, with whitespace around them', () => {
    expect(parseRetryAfter('120', NOW, MAX)).toEqual({ kind: 'delay', ms: 120_000 });
    expect(parseRetryAfter('\t42 ', NOW, MAX)).toEqual({ kind: 'delay', ms: 42_000 });
  });
  it('gives 0 for "0", which callers treat as no usable header', () => {
    expect(parseRetryAfter('0', NOW, MAX)).toEqual({ kind: 'delay', ms: 0 });
  });
  it('caps at the maximum (21601 s → 21600 s)', () => {
    expect(parseRetryAfter('21601', NOW, MAX)).toEqual({ kind: 'delay', ms: MAX });
  });
  it('reads all three HTTP-date forms as seconds from now', () => {
    const expected = { kind: 'delay', ms: 90_000 };
    expect(parseRetryAfter('Sat, 21 Nov 2026 12:01:30 GMT', NOW, MAX)).toEqual(expected);
    expect(parseRetryAfter('Saturday, 21-Nov-26 12:01:30 GMT', NOW, MAX)).toEqual(expected);
    expect(parseRetryAfter('Sat Nov 21 12:01:30 2026', NOW, MAX)).toEqual(expected);
    expect(parseRetryAfter('Sat Nov  1 12:01:30 2026', NOW, MAX)).toEqual({ kind: 'delay', ms: 0 });
  });
  it('clamps a past date to 0', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW, MAX)).toEqual({ kind: 'delay', ms: 0 });
  });
  it.each(['-1', '+1', '1.0', 'foo', '', '1e309', 'Sat, 21 Nov 2026 12:01:30', 'Sat, 32 Nov 2026 12:01:30 GMT'])(
    'calls %j invalid',
    (value) => {
      expect(parseRetryAfter(value, NOW, MAX)).toEqual({ kind: 'invalid', value });
    },
  );
  it('reads year 9999 as far future, capped, and year 0000 as past', () => {
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW, MAX)).toEqual({ kind: 'delay', ms: MAX });
    expect(parseRetryAfter('Sat, 01 Jan 0000 00:00:00 GMT', NOW, MAX)).toEqual({ kind: 'delay', ms: 0 });
  });
  it('reads RFC 850 two-digit years as Python does: 69–99 → 19xx, 00–68 → 20xx', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(Date.UTC(1994, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Monday, 06-Nov-28 08:49:37 GMT')).toBe(Date.UTC(2028, 10, 6, 8, 49, 37));
  });
  it('reports an absent header as absent', () => {
    expect(parseRetryAfter(null, NOW, MAX)).toEqual({ kind: 'absent' });
  });
});
