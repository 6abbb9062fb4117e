// maskError formats a stack only when masking changed a text of its error: a secret in a message
// never survives in the stack (read before masking or after), and a chain with no secret in it
// has no stack formatted at all, which is what keeps a failed call cheap (issue 18).
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createMasker, maskError } from '../../src/core/mask.ts';
import { ConnectionError } from '../../src/errors/index.ts';

const secret = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.~+/='), minLength: 8, maxLength: 24 }).map((s) => `Zx${s}9q`);

/** A chain like the one a refused connection leaves: fetchpipe's error, undici's TypeError, the socket's error. */
function chain(messages: readonly [string, string, string]): ConnectionError {
  const socket = Object.assign(new Error(messages[2]), { code: 'ECONNREFUSED' });
  const platform = new TypeError(messages[1], { cause: socket });
  return new ConnectionError(messages[0], { cause: platform, phase: 'connect' });
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

  it('formats no stack of a chain that holds no secret, so a failed call never pays for stacks nobody reads', () => {
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      formatted++;
      return `${String(error)}\n${frames.map((frame) => `    at ${String(frame)}`).join('\n')}`;
    };
    fc.assert(
      fc.property(secret, (value) => {
        const error = chain(['Cannot connect for GET https://api.example/x', 'fetch failed', 'connect ECONNREFUSED 127.0.0.1:9']);
        formatted = 0;
        maskError(error, createMasker([value]));
        expect(formatted).toBe(0);
        // Read later, each stack is formatted from the name and message as they are then: still clean.
        for (const each of errorsOf(error)) expect(each.stack).toContain(each.message);
        expect(formatted).toBe(3);
      }),
      { numRuns: 20 },
    );
  });
});
