// What the README documents of the resilience middlewares, entry point by entry point.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const DOCUMENTED: Record<string, { file: string; values: readonly string[]; types: readonly string[] }> = {
  fetchpipe: {
    file: '../src/index.ts',
    values: ['retryBudget', 'createRetryBudget', 'authRefresh', 'AuthRefreshError', 'rateLimit', 'RateLimitError', 'circuitBreaker', 'CircuitOpenError', 'idempotencyKey', 'withOptions',
      'retryBudgetEvents', 'authRefreshEvents', 'rateLimitEvents', 'circuitBreakerEvents', 'idempotencyKeyEvents'],
    types: ['RetryBudget', 'RetryBudgetOptions', 'AuthRefreshOptions', 'RateLimitOptions', 'CircuitBreaker', 'CircuitBreakerOptions', 'CircuitSnapshot', 'CircuitState', 'IdempotencyKeyOptions', 'CallPolicy',
      'RetryBudgetEvents', 'AuthRefreshEvents', 'RateLimitEvents', 'CircuitBreakerEvents', 'IdempotencyKeyEvents'],
  },
  'fetchpipe/otel': { file: '../src/otel/index.ts', values: ['otel', 'attemptAttributes', 'redactUrl'], types: ['OtelOptions'] },
};

describe('the documented resilience API', () => {
  for (const [entry, { file, values, types }] of Object.entries(DOCUMENTED)) {
    it(`${entry} exports ${values.join(', ')}`, async () => {
      const module = (await import(file)) as Record<string, unknown>;
      expect(values.filter((name) => module[name] === undefined)).toEqual([]);
    });
    it(`${entry} exports the types ${types.join(', ')}`, () => {
      const code = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(types.filter((name) => !new RegExp(`\\b(type ${name}\\b|interface ${name}\\b|export type \\{[^}]*\\b${name}\\b)`).test(code))).toEqual([]);
    });
  }

  it('package.json maps fetchpipe/otel, with @opentelemetry/api an optional peer', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./otel']).toEqual({ types: './dist/otel.d.ts', default: './dist/otel.js' });
    expect(pkg.peerDependencies['@opentelemetry/api']).toMatch(/^\^1\./);
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
  });
});
