// Throughput over loopback: each client sends N requests at a fixed concurrency to a Node HTTP
// server on 127.0.0.1 running in its own process (server.ts), which checks and counts every
// request. Requests per second and the ratio to bare fetch are taken per round, in the same run.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLIENTS, floor, type Call, type StubFetch } from './clients.ts';
import { childMain, progress } from './child.ts';
import { OK_BODY, PATH, expectedRequest } from './config.ts';
import type { ServerCommand, ServerStats } from './server.ts';
import { rotate, spread, type Spread } from './stats.ts';
import { answerOk, verifyClients } from './verify.ts';

export interface ThroughputOptions {
  readonly quick: boolean;
}

export interface ThroughputRow {
  readonly name: string;
  /** Requests per second: median, min and max over the rounds. */
  readonly rps: Spread;
  /** Per-round ratio to bare fetch in the same round. */
  readonly ratio: Spread;
}

export interface ThroughputResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly warmup: number;
  /** Every header bare fetch put on the wire; every client had to send exactly these. */
  readonly wireHeaders: readonly string[];
  readonly rows: readonly ThroughputRow[];
}

const SETTINGS = {
  full: { requests: 20_000, concurrency: 64, rounds: 5, warmup: 3_000 },
  quick: { requests: 256, concurrency: 64, rounds: 1, warmup: 64 },
} as const;

interface Server {
  readonly base: string;
  send(command: ServerCommand): void;
  stats(): Promise<ServerStats>;
  close(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { type: string; port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the bench server exited with code ${code} before listening`)));
  });
  return {
    base: `http://127.0.0.1:${port}/v1/`,
    send: (command) => child.send(command),
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (message: { stats: ServerStats }) => resolve(message.stats));
        child.send({ type: 'stats' } satisfies ServerCommand);
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' } satisfies ServerCommand);
      }),
  };
}

/** Sends `total` calls with `concurrency` in flight; returns the elapsed milliseconds. */
async function drive(name: string, call: Call, total: number, concurrency: number): Promise<number> {
  let issued = 0;
  const worker = async (): Promise<void> => {
    while (issued < total) {
      issued++;
      const body = await call();
      if (body !== OK_BODY) throw new Error(`${name} returned ${JSON.stringify(body)} from the server`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return performance.now() - started;
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const settings = options.quick ? SETTINGS.quick : SETTINGS.full;
  const server = await startServer();
  try {
    const expected = expectedRequest(server.base);
    await verifyClients(CLIENTS, server.base, expected, { answer: answerOk, fetchesPerCall: 1 });
    const realFetch: StubFetch = (input, init) => globalThis.fetch(input, init);
    const runners = CLIENTS.map((client) => ({ client, call: client.create(realFetch, server.base), perRound: [] as number[] }));

    // Learn what bare fetch puts on the wire (undici adds its own headers), then hold every client to it.
    const path = new URL(PATH, server.base).pathname;
    server.send({ type: 'expect', method: 'GET', path, headers: null });
    server.send({ type: 'reset' });
    await runners.find((runner) => runner.client === floor)!.call();
    const wire = (await server.stats()).lastHeaders!;
    for (const [name, value] of Object.entries(expected.headers)) {
      if (wire[name] !== value) throw new Error(`bare fetch sent ${name}: ${wire[name]}, expected ${value}`);
    }
    server.send({ type: 'expect', method: 'GET', path, headers: wire });

    const checkServer = async (name: string, sent: number): Promise<void> => {
      const stats = await server.stats();
      if (stats.count !== sent || stats.mismatches !== 0) {
        throw new Error(`${name}: the server saw ${stats.count} requests for ${sent} sent, ${stats.mismatches} unlike bare fetch's (first: ${stats.firstMismatch})`);
      }
    };

    for (const runner of runners) {
      server.send({ type: 'reset' });
      await drive(runner.client.name, runner.call, settings.warmup, settings.concurrency);
      await checkServer(runner.client.name, settings.warmup);
    }

    for (let round = 0; round < settings.rounds; round++) {
      progress(`throughput: round ${round + 1}/${settings.rounds}`);
      for (const runner of rotate(runners, round)) {
        server.send({ type: 'reset' });
        const ms = await drive(runner.client.name, runner.call, settings.requests, settings.concurrency);
        await checkServer(runner.client.name, settings.requests);
        runner.perRound.push((settings.requests / ms) * 1000);
      }
    }

    const floorRounds = runners.find((runner) => runner.client === floor)!.perRound;
    return {
      ...settings,
      wireHeaders: Object.keys(wire).sort(),
      rows: runners.map((runner) => ({
        name: runner.client.name,
        rps: spread(runner.perRound),
        ratio: spread(runner.perRound.map((rps, round) => rps / floorRounds[round]!)),
      })),
    };
  } finally {
    await server.close();
  }
}

if (import.meta.main) await childMain(runThroughput);
