// The cases' Assert on top of vitest's `expect`, for the Node and Chromium runners.
import { expect } from 'vitest';
import type { Assert } from './cases.ts';

export const expectAssert: Assert = {
  equal: (actual, expected, message) => expect(actual, message).toBe(expected),
  deepEqual: (actual, expected, message) => expect(actual, message).toStrictEqual(expected),
  ok: (value, message) => expect(Boolean(value), message).toBe(true),
  match: (value, pattern, message) => expect(value, message).toMatch(pattern),
  doesNotMatch: (value, pattern, message) => expect(value, message).not.toMatch(pattern),
};
