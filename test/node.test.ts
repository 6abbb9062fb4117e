import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  ConnectTimeoutError,
  ReadTimeoutError,
  createClient,
  retry,
  type FetchFunction,
} from '../src/index.ts';
import { connectTimeout, nodeTimeout } from '../src/node.ts';
import { startServer, type LocalServer } from './support/server.ts';

/**
 * A loopback port whose connections never complete: a listener (perl, since Node always accepts)
 * that never accepts, with its backlog filled, so the kernel drops every further SYN.
 */
async function blackhole(): Promise<{ port: number; close(): void }> {
  const script = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 0) or die $!; $| = 1; print $s->sockport, \"\\n\"; <STDIN>;";
  const child: ChildProcess = spawn('perl', ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (data) => resolve(Number(String(data).trim())));
  });
  const sockets: Socket[] = [];
  // Connect until one hangs: from then on the backlog is full.
  for (let i = 0; i < 200; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    sockets.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 150);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return {
    port,
    close() {
      for (const socket of sockets) socket.destroy();
      child.stdin!.end();
      child.kill();
    },
  };
}

describe('connectTimeout (fetchpipe/node)', () => {
  let hole: Awaited<ReturnType<typeof blackhole>>;
  let server: LocalServer;

  beforeAll(async () => {
    hole = await blackhole();
    server = await startServer((req, res) => {
      if (req.url === '/hang') return;
      res.end('ok');
    });
  });
  afterAll(async () => {
    hole.close();
    await server.close();
  });

  it('turns a connection that is never set up into ConnectTimeoutError through Node\'s own fetch', async () => {
    const client = createClient([connectTimeout(50)]);
    const started = Date.now();
    const error = await client(`http://127.0.0.1:${hole.port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect((error as ConnectTimeoutError).phase).toBe('connect');
    // undici checks connect timeouts on a clock of about half a second.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('sends ordinary calls through the same dispatcher', async () => {
    const client = createClient([connectTimeout(1_000)]);
    expect(await (await client(`${server.origin}/`)).text()).toBe('ok');
    expect(await (await client(`${server.origin}/`)).text()).toBe('ok');
  });

  it('passes one undici Agent as init.dispatcher on every call, and keeps a dispatcher the call brings', async () => {
    const dispatchers: unknown[] = [];
    const fetch: FetchFunction = async (_input, init) => {
      dispatchers.push((init as { dispatcher?: unknown }).dispatcher);
      return new Response('ok');
    };
    const client = createClient([connectTimeout(1_000)], { fetch });
    await client('http://h/1');
    await client('http://h/2', { headers: { a: '1' } });
    const own = new Agent();
    await client('http://h/3', { dispatcher: own } as RequestInit);
    await own.close();
    expect(dispatchers[0]).toBeInstanceOf(Agent);
    expect(dispatchers[1]).toBe(dispatchers[0]);
    expect(dispatchers[2]).toBe(own);
  });

  it('refuses anything but a positive number of milliseconds', () => {
    for (const bad of [0, -5, '100', null, Number.POSITIVE_INFINITY]) {
      expect(() => connectTimeout(bad as never)).toThrow(ConfigError);
    }
    expect(() => connectTimeout('100' as never)).toThrow('connectTimeout: options: expected a positive number of milliseconds');
  });

  it('nodeTimeout bounds connect through the dispatcher and read as timeout() does', async () => {
    // The read window starts at hand-off and includes set-up, so it must outlast undici's coarse connect clock.
    const client = createClient([nodeTimeout([50, 3_000])]);
    await expect(client(`http://127.0.0.1:${hole.port}/`)).rejects.toBeInstanceOf(ConnectTimeoutError);
    expect(await (await client(`${server.origin}/`)).text()).toBe('ok');
    const quick = createClient([nodeTimeout([1_000, 100])]);
    await expect(quick(`${server.origin}/hang`)).rejects.toBeInstanceOf(ReadTimeoutError);
    expect(nodeTimeout([50, 100]).meta).toEqual({
      name: 'nodeTimeout',
      options: { connect: 50, read: 100, total: null },
      after: ['retry', 'backoff', 'redirect'],
    });
  });

  it('nodeTimeout must stand after retry(), as timeout() must: one timer in front would bound every attempt', () => {
    expect(() => createClient([nodeTimeout([50, 100]), retry()])).toThrow(ConfigError);
    expect(() => createClient([nodeTimeout([50, 100]), retry()])).toThrow(/nodeTimeout.*retry/);
    expect(() => createClient([retry(), nodeTimeout([50, 100])])).not.toThrow();
    // A connect limit alone has no read window to misplace.
    expect(() => createClient([nodeTimeout({ connect: 50 }), retry()])).not.toThrow();
  });

  it('nodeTimeout without connect is plain timeout(), and it validates as timeout() does', () => {
    expect(nodeTimeout({ read: 100 }).meta!.name).toBe('timeout');
    expect(() => nodeTimeout([1, 2, 3] as never)).toThrow(/expected a \(connect, read\) pair or a single number/);
  });
});
