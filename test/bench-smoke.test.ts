// Keeps the benchmarks from rotting: the quick run of every benchmark must pass inside
// `npm test`, and the verification that guards every figure must refuse a client that did
// different work. The full run (`npm run bench`) is not part of the tests.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLIENTS, floor, type ClientSpec } from '../bench/clients.ts';
import { PATH, STUB_BASE, expectedRequest } from '../bench/config.ts';
import { answer503Twice, answerOk, verifyClients } from '../bench/verify.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORT = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
const expected = expectedRequest(STUB_BASE);

const RESULTS = fileURLToPath(new URL('../bench/results.json', import.meta.url));
const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : null);

function variant(name: string, headers: Record<string, string>, fetchesPerCall = 1): ClientSpec {
  return {
    name,
    retries: false,
    setup: '',
    create: (fetch, base) => async () => {
      let response: Response | undefined;
      for (let i = 0; i < fetchesPerCall; i++) response = await fetch(base + PATH, { headers });
      return response!.text();
    },
  };
}

describe('bench', () => {
  it('runs every benchmark in quick mode, reports each client, and leaves docs/BENCHMARKS.md and bench/results.json as they were', async () => {
    const before = [read(REPORT), read(RESULTS)];
    const { stdout } = await promisify(execFile)(process.execPath, ['bench/index.ts', '--quick'], {
      cwd: ROOT,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const heading of [
      '## 1. Overhead per call',
      '### The other calls of issue 18',
      '### What a call allocates',
      '## 2. Throughput over loopback',
      '## 3. Retry path',
      '## 4. Memory',
      '## 5. Bundle size',
      '## 6. Import time on Node',
    ]) {
      expect(stdout).toContain(heading);
    }
    // Every target of issue 18 has its row, met or missed, in the same run.
    const targets = stdout.slice(stdout.indexOf('## Targets'), stdout.indexOf('## How every client'));
    for (const target of [
      'typical client: overhead ≤ 1.10×',
      'own init and 4 headers',
      'with `onEvent`',
      'a failed call (connection refused',
      "one retry's CPU above the attempt itself ≤ 3,000 ns",
      'cost per pass-through middleware ≤ 10 ns',
      'loopback throughput ≥ 0.97×',
      'heap flat over',
      'typical client, browser build',
      'typical client, Node/Deno/Bun build',
      'full library',
      'one guard',
      'import time on Node',
    ]) {
      expect(targets).toContain(target);
    }
    expect(targets).toMatch(/\| (✅ met|❌ missed by [^|]+) \|/);
    const overhead = stdout.slice(stdout.indexOf('## 1. Overhead per call'), stdout.indexOf('## 2. Throughput'));
    for (const client of CLIENTS) expect(overhead).toContain(`| ${client.name.replace(/^fetchpipe$/, '**fetchpipe**')} |`);
    expect(stdout).toContain('fetchpipe, caveclient preset');
    expect([read(REPORT), read(RESULTS)]).toEqual(before);
  }, 150_000);

  it('accepts every benchmark client as configured, on the 200 stub and on the 503, 503, 200 stub', async () => {
    await verifyClients(CLIENTS, STUB_BASE, expected, { answer: answerOk, fetchesPerCall: 1 });
    await verifyClients(
      CLIENTS.filter((client) => client.retries),
      STUB_BASE,
      expected,
      { answer: answer503Twice, fetchesPerCall: 3 },
    );
  });

  it('refuses to measure a client that leaves out the auth header, naming the client and the request it sent', async () => {
    const { authorization: _, ...withoutAuth } = expected.headers;
    const check = verifyClients([floor, variant('no-auth client', withoutAuth)], STUB_BASE, expected, { answer: answerOk, fetchesPerCall: 1 });
    await expect(check).rejects.toThrow(/no-auth client: sent GET http:\/\/api\.bench\.test\/v1\/users\/42 \{accept: text\/plain, user-agent: fetchpipe-bench\/1\.0\}/);
  });

  it('refuses to measure a client that sends an extra header', async () => {
    const check = verifyClients([variant('chatty client', { ...expected.headers, 'x-extra': '1' })], STUB_BASE, expected, {
      answer: answerOk,
      fetchesPerCall: 1,
    });
    await expect(check).rejects.toThrow(/chatty client: sent .*x-extra: 1/);
  });

  it('refuses to measure a client that fetches twice per call', async () => {
    const check = verifyClients([variant('double client', { ...expected.headers }, 2)], STUB_BASE, expected, { answer: answerOk, fetchesPerCall: 1 });
    await expect(check).rejects.toThrow('double client: 6 fetches for 3 calls, expected 3');
  });

  it('refuses a retrying client that gives up before the 200 on the retry path', async () => {
    const check = verifyClients([variant('impatient client', { ...expected.headers }, 2)], STUB_BASE, expected, {
      answer: answer503Twice,
      fetchesPerCall: 3,
    });
    await expect(check).rejects.toThrow(/impatient client: call 1 returned "unavailable"/);
  });
});
