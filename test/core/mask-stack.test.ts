// Masking an error masks its stack when the stack is read (lazy-stack.ts): a secret never survives in any stack,
// in the header or in a frame, read before masking or after, and no stack is formatted until
// someone reads it, which is what keeps a failed call cheap (issue 18).
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { maskValues, type Masker } from '../../src/core/mask.ts';
import { maskInPlace, maskThrown } from '../../src/core/mask-error.ts';
import { ConnectionError } from '../../src/errors/index.ts';

const secret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~+/='), minLength: 8, maxLength: 24 }).map((s) => `Zx${s}9q`);

/** A chain like the one a refused connection leaves: fetchpipe's error, undici's TypeError, the socket's error. */
function chain(messages: readonly [string, string, string]): ConnectionError {
  const socket = Object.assign(new Error(messages[2]), { code: 'ECONNREFUSED' });
  const platform = new TypeError(messages[1], { cause: socket });
  return new ConnectionError(messages[0], { cause: platform, phase: 'connect' });
}

/** A masker of the given values, as the call's secrets mask them (longest first). */
function createMasker(values: readonly string[]): Masker {
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return { mask: (text) => maskValues(text, sorted) };
}

/** What send() and createClient() do to a failure: masked in place, then made safe where the call ends. */
function maskError(error: Error, masker: Masker): void {
  maskInPlace(error, masker);
  expect(maskThrown(error, masker)).toBe(error);
}

function* errorsOf(error: unknown): Generator<Error> {
  for (let current = error; current instanceof Error; current = current.cause) yield current;
}

const original = Error.prepareStackTrace;
afterEach(() => {
  Error.prepareStackTrace = original;
});

describe('maskError and stacks', () => {
  it('leaves no secret in any stack of the chain, whichever error carried it and whether its stack was read before masking', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: 2 }), fc.boolean(), (value, depth, readBefore) => {
        const messages: [string, string, string] = ['Cannot connect for GET https://api.example/x', 'fetch failed', 'connect ECONNREFUSED 127.0.0.1:9'];
        messages[depth] = `${messages[depth]} token=${value}`;
        const error = chain(messages);
        if (readBefore) for (const each of errorsOf(error)) void each.stack;
        maskError(error, createMasker([value]));
        for (const each of errorsOf(error)) {
          expect(each.stack).not.toContain(value);
          expect(each.message).not.toContain(value);
        }
        expect(inspect(error, { depth: 10 })).not.toContain(value);
        expect(String(structuredClone(error).stack)).not.toContain(value);
      }),
      { numRuns: 60 },
    );
  });

  it('formats no stack until one is read, with or without a secret in the chain, and masks it then', () => {
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      formatted++;
      return `${String(error)}\n${frames.map((frame) => `    at ${String(frame)}`).join('\n')}`;
    };
    fc.assert(
      fc.property(secret, fc.boolean(), (value, withSecret) => {
        const error = chain([`Cannot connect for GET https://api.example/x${withSecret ? `?key=${value}` : ''}`, 'fetch failed', 'connect ECONNREFUSED 127.0.0.1:9']);
        formatted = 0;
        maskError(error, createMasker([value]));
        maskError(error, createMasker(['127.0.0.1']));
        expect(formatted).toBe(0);
        for (const each of errorsOf(error)) {
          expect(each.stack).toContain(each.message);
          expect(each.stack).not.toContain(value);
          // Both maskers apply, in order, to the text formatted on first read.
          expect(each.stack).not.toContain('127.0.0.1');
        }
        expect(formatted).toBe(3);
      }),
      { numRuns: 20 },
    );
  });

  it('masks a secret that happens to appear in a frame of the stack, not only in its message', () => {
    const error = chain(['Cannot connect', 'fetch failed', 'connect ECONNREFUSED']);
    // This file's name is in every frame of the trace: as a "secret", it must not survive there.
    maskError(error, createMasker(['mask-stack.test']));
    for (const each of errorsOf(error)) {
      expect(each.stack).toMatch(/\n\s+at /);
      expect(each.stack).not.toContain('mask-stack.test');
    }
  });

  it('keeps a stack assigned after masking as it was assigned, as a plain error would', () => {
    const error = chain(['Cannot connect', 'fetch failed', 'connect ECONNREFUSED']);
    maskError(error, createMasker(['secret-value']));
    error.stack = 'replaced';
    expect(error.stack).toBe('replaced');
  });
});
