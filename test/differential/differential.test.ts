// The differential suite (issue #15): every scenario of scenarios.ts is driven through the real
// Python libraries (requests 2.34.2 + urllib3 2.7.0, sessions set up as the seeds set them up,
// driver.py) and through fetchpipe's presets, against one scripted server on 127.0.0.1. What
// the server saw, the sleeps, and the outcome must agree; the only differences allowed are the
// deliberate ones a scenario names (scenarios.ts, README "Deliberate differences").
//
// Outcomes are compared by this equivalence of error classes:
//   requests / urllib3                      fetchpipe
//   a Response with status N                a Response with status N
//   RetryError (MaxRetryError, ResponseError) MaxRetryError whose reason is a ResponseError
//   ConnectionError(MaxRetryError(...))     MaxRetryError whose reason is a ConnectionError
//   ConnectionError(ProtocolError(...))     ConnectionError (raised at once, not retried)
//   TooManyRedirects                        TooManyRedirectsError
//   InvalidHeader (requests', from urllib3's) InvalidHeaderError
//   HTTPError (qBraid's raise_for_status)   HTTPError, with the same status
// Sleeps: urllib3 never calls time.sleep for a zero wait, recordingClock() records one; the zeros
// are left out of fetchpipe's list. A Retry-After date gives "date − now" on each side at its own
// moment, so those agree within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  isConnectionError,
  isHTTPError,
  isInvalidHeaderError,
  isMaxRetryError,
  isResponseError,
  isTooManyRedirectsError,
  type HTTPError,
} from '../../src/index.ts';
import { caveclient, qbraid, setSessionDefaults } from '../../src/presets/index.ts';
import { recordingClock } from '../../src/testing/index.ts';
import { runtimeMissing } from '../runtimes/require-runtime.ts';
import { INSTALL, pythonProblem, startPython, type PythonDriver, type PythonOutcome, type PythonScenario } from './python.ts';
import { scenarios, type CaveclientConfig, type QbraidConfig, type Scenario } from './scenarios.ts';
import { startScriptedServer, type ScriptedServer, type Seen } from './scripted-server.ts';

const USER_AGENT = 'fetchpipe-differential/1.0';
const QBRAID_UA = 'qbraid-sdk/0.1';
const API_KEY = 'qk-differential-0042';
const TOKEN = 'Bearer cave-t0ken-0042';

const problem = pythonProblem();
if (problem !== undefined) runtimeMissing('Python differential', problem, INSTALL);

/** The call as both sides make it: absolute URL for caveclient, base-relative for qbraid. */
function callOf(scenario: Scenario, server: ScriptedServer): { url: string; headers: Record<string, string>; body?: string } {
  const { path, body, closed } = scenario.request;
  const origin = closed ? server.closedOrigin : server.origins.A;
  const url = scenario.session === 'caveclient' ? `${origin}${path}` : path.replace('{B}', server.origins.B);
  // CAVEclient sends its token as a session header; the call carries it here, on both sides.
  const headers: Record<string, string> = scenario.session === 'caveclient' ? { 'User-Agent': USER_AGENT, Authorization: TOKEN } : {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return { url, headers, ...(body === undefined ? {} : { body }) };
}

function qbraidBase(scenario: Scenario, server: ScriptedServer): string {
  return `${scenario.request.closed ? server.closedOrigin : server.origins.A}/api`;
}

function pythonScenario(scenario: Scenario, server: ScriptedServer): PythonScenario {
  const call = callOf(scenario, server);
  const request = { method: scenario.request.method, url: call.url, headers: call.headers, ...(call.body === undefined ? {} : { body: call.body }) };
  if (scenario.session === 'caveclient') {
    const config = (scenario.config ?? {}) as CaveclientConfig;
    const defaults = config.sessionDefaults ?? {};
    return {
      session: 'caveclient',
      config: {
        ...(config.maxRetries === undefined ? {} : { max_retries: config.maxRetries }),
        ...(config.poolBlock === undefined ? {} : { pool_block: config.poolBlock }),
        ...(config.poolMaxsize === undefined ? {} : { pool_maxsize: config.poolMaxsize }),
        session_defaults: {
          ...(defaults.maxRetries === undefined ? {} : { max_retries: defaults.maxRetries }),
          ...(defaults.backoffFactor === undefined ? {} : { backoff_factor: defaults.backoffFactor }),
          ...(defaults.backoffMax === undefined ? {} : { backoff_max: defaults.backoffMax }),
          ...('statusForcelist' in defaults ? { status_forcelist: defaults.statusForcelist } : {}),
        },
      },
      request,
    };
  }
  const config = (scenario.config ?? {}) as QbraidConfig;
  return {
    session: 'qbraid',
    config: {
      base_url: qbraidBase(scenario, server),
      headers: { 'User-Agent': USER_AGENT },
      auth_headers: { 'api-key': API_KEY },
      user_agents: [QBRAID_UA],
      ...(config.retriesTotal === undefined ? {} : { retries_total: config.retriesTotal }),
      ...(config.retriesConnect === undefined ? {} : { retries_connect: config.retriesConnect }),
      ...(config.backoffFactor === undefined ? {} : { backoff_factor: config.backoffFactor }),
    },
    request,
  };
}

/** fetchpipe's outcome, named by the equivalence table above. */
function outcomeOf(result: { response?: Response; error?: unknown }): PythonOutcome {
  if (result.response !== undefined) return { kind: 'Response', status: result.response.status };
  const error = result.error;
  if (isTooManyRedirectsError(error)) return { kind: 'TooManyRedirects' };
  if (isMaxRetryError(error)) {
    if (isResponseError(error.reason)) return { kind: 'RetryError' };
    if (isConnectionError(error.reason)) return { kind: 'ConnectionError(MaxRetryError)' };
    return { kind: 'Other', detail: `MaxRetryError: ${error.message}` };
  }
  if (isConnectionError(error)) return { kind: 'ConnectionError' };
  if (isInvalidHeaderError(error)) return { kind: 'InvalidHeader' };
  if (isHTTPError(error)) return { kind: 'HTTPError', status: (error as HTTPError).status };
  return { kind: 'Other', detail: String(error) };
}

async function runFetchpipe(scenario: Scenario, server: ScriptedServer) {
  const clock = recordingClock();
  let middlewares;
  if (scenario.session === 'caveclient') {
    const config = (scenario.config ?? {}) as CaveclientConfig;
    setSessionDefaults(config.sessionDefaults ?? {});
    try {
      middlewares = caveclient({
        clock,
        ...(config.maxRetries === undefined ? {} : { maxRetries: config.maxRetries }),
        ...(config.poolBlock === undefined ? {} : { poolBlock: config.poolBlock }),
        ...(config.poolMaxsize === undefined ? {} : { poolMaxsize: config.poolMaxsize }),
      });
    } finally {
      setSessionDefaults();
    }
  } else {
    const config = (scenario.config ?? {}) as QbraidConfig;
    middlewares = qbraid({
      baseUrl: qbraidBase(scenario, server),
      headers: { 'User-Agent': USER_AGENT },
      authHeaders: { 'api-key': API_KEY },
      userAgents: [QBRAID_UA],
      clock,
      ...config,
    });
  }
  const call = callOf(scenario, server);
  const client = createClient(middlewares);
  const result = await client(call.url, { method: scenario.request.method, headers: call.headers, ...(call.body === undefined ? {} : { body: call.body }) }).then(
    async (response) => {
      await response.arrayBuffer();
      return { response };
    },
    (error: unknown) => ({ error }),
  );
  return { outcome: outcomeOf(result), sleeps: clock.waits.filter((ms) => ms > 0).map((ms) => ms / 1000) };
}

// requests strips only Authorization on a cross-origin hop: once a call has left the origin it
// started on, fetchpipe's requests carry no custom auth header where Python's still do.
function withoutCustomAuthAfterLeaving(seen: readonly Seen[]): Seen[] {
  let left = false;
  return seen.map((request, index) => {
    left ||= index > 0 && request.origin !== seen[0]!.origin;
    if (!left) return request;
    const { 'api-key': _apiKey, 'x-api-key': _xApiKey, ...headers } = request.headers;
    return { ...request, headers };
  });
}

describe.skipIf(problem !== undefined)('presets against requests 2.34.2 and urllib3 2.7.0 (the differential suite)', () => {
  let server: ScriptedServer;
  let python: PythonDriver;

  beforeAll(async () => {
    [server, python] = await Promise.all([startScriptedServer(), startPython()]);
  });
  afterAll(async () => {
    await Promise.all([server?.close(), python?.close()]);
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      server.play(scenario.script);
      const py = await python.run(pythonScenario(scenario, server));
      const pySeen = [...server.seen];
      server.play(scenario.script);
      const js = await runFetchpipe(scenario, server);
      const jsSeen = [...server.seen];
      const differences = new Set(scenario.differences ?? []);

      expect(py.outcome.kind, `Python failed oddly: ${py.outcome.detail}`).not.toBe('Other');
      if (differences.has('base-url-confined')) {
        // Python went to the other host; fetchpipe stayed under the base (or refused the input).
        expect(pySeen.map((r) => `${r.origin} ${r.path}`)).toEqual(['B /x']);
        expect(jsSeen.every((r) => r.origin === 'A' && r.path.startsWith('/api/'))).toBe(true);
        return;
      }
      expect(js.outcome).toEqual(py.outcome);
      if (scenario.datedSleeps) {
        expect(js.sleeps).toHaveLength(py.sleeps.length);
        js.sleeps.forEach((seconds, i) => expect(Math.abs(seconds - py.sleeps[i]!)).toBeLessThanOrEqual(1));
      } else {
        expect(js.sleeps.map((s) => Math.round(s * 1e6))).toEqual(py.sleeps.map((s) => Math.round(s * 1e6)));
      }
      if (differences.has('custom-auth-stripped')) {
        // The difference is real: Python forwarded the key to the other origin, fetchpipe did not.
        expect(pySeen.some((r) => r.origin === 'B' && r.headers['api-key'] === API_KEY)).toBe(true);
        expect(jsSeen.filter((r) => r.origin === 'B').every((r) => r.headers['api-key'] === undefined)).toBe(true);
        expect(jsSeen).toEqual(withoutCustomAuthAfterLeaving(pySeen));
      } else {
        expect(jsSeen).toEqual(pySeen);
      }
    });
  }
});
