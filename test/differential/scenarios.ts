// The scenarios the differential suite drives through Python (requests + urllib3, sessions set up
// as the seeds set them up) and through fetchpipe's presets, against the same scripted server.
import type { Answer, Script } from './scripted-server.ts';

/**
 * The deliberate differences (README, "Deliberate differences from the Python sessions"); a
 * scenario names the ones it shows, and the suite checks that each is what happened, not more.
 * - `custom-auth-stripped`: once a call has left its first origin, fetchpipe sends no custom
 *   auth header (`api-key`); requests' rebuild_auth strips only Authorization, so qBraid
 *   forwards it.
 * - `base-url-confined`: a path like `/http://other/x` stays under the base URL; qBraid's join
 *   (urljoin) sends it to the other host.
 */
export type Difference = 'custom-auth-stripped' | 'base-url-confined';

export interface CaveclientConfig {
  readonly maxRetries?: number;
  readonly poolBlock?: boolean;
  readonly poolMaxsize?: number;
  /** setSessionDefaults() before the client is made (set_session_defaults in Python). */
  readonly sessionDefaults?: { maxRetries?: number; backoffFactor?: number; backoffMax?: number; statusForcelist?: number[] | null };
}

export interface QbraidConfig {
  readonly retriesTotal?: number;
  readonly retriesConnect?: number;
  readonly backoffFactor?: number;
}

export interface Scenario {
  readonly name: string;
  readonly session: 'caveclient' | 'qbraid';
  readonly config?: CaveclientConfig | QbraidConfig;
  /** `path` is on origin A (caveclient) or under qBraid's base URL `A/api` (qbraid); `closed` sends it to a closed port. */
  readonly request: { method: string; path: string; body?: string; closed?: boolean };
  readonly script: Script;
  readonly differences?: readonly Difference[];
  /** Sleeps that come from Retry-After dates: both sides compute "date − now", so they agree within a second. */
  readonly datedSleeps?: boolean;
}

const ok: Answer = { status: 200 };
const to = (location: string, status: number): Answer => ({ status, location });

export const scenarios: readonly Scenario[] = [
  // Statuses, without Retry-After.
  { name: 'caveclient GET that always gets 503', session: 'caveclient', request: { method: 'GET', path: '/s' }, script: { 'A /s': [{ status: 503 }] } },
  { name: 'caveclient POST 503, 503, then 200', session: 'caveclient', request: { method: 'POST', path: '/s', body: '{"a":1}' }, script: { 'A /s': [{ status: 503 }, { status: 503 }, ok] } },
  { name: 'caveclient PUT 503 (not an allowed method)', session: 'caveclient', request: { method: 'PUT', path: '/s', body: '{}' }, script: { 'A /s': [{ status: 503 }] } },
  { name: 'caveclient GET 500 (not in the forcelist)', session: 'caveclient', request: { method: 'GET', path: '/s' }, script: { 'A /s': [{ status: 500 }] } },
  {
    name: 'caveclient after setSessionDefaults({ maxRetries: 5, backoffFactor: 0.5, backoffMax: 3 }), GET always 502',
    session: 'caveclient',
    config: { sessionDefaults: { maxRetries: 5, backoffFactor: 0.5, backoffMax: 3 } },
    request: { method: 'GET', path: '/s' },
    script: { 'A /s': [{ status: 502 }] },
  },
  {
    name: 'caveclient with statusForcelist null: a 503 is not forced',
    session: 'caveclient',
    config: { sessionDefaults: { statusForcelist: null } },
    request: { method: 'GET', path: '/s' },
    script: { 'A /s': [{ status: 503 }, ok] },
  },
  { name: 'caveclient maxRetries 0 per client', session: 'caveclient', config: { maxRetries: 0 }, request: { method: 'GET', path: '/s' }, script: { 'A /s': [{ status: 503 }] } },
  { name: 'qbraid GET that always gets 503', session: 'qbraid', request: { method: 'GET', path: 'jobs' }, script: { 'A /api/jobs': [{ status: 503 }] } },
  { name: 'qbraid POST that always gets 502 (postForcelist)', session: 'qbraid', request: { method: 'POST', path: 'jobs', body: '{}' }, script: { 'A /api/jobs': [{ status: 502 }] } },
  { name: 'qbraid PATCH 502: not retried, raised', session: 'qbraid', request: { method: 'PATCH', path: 'jobs/1', body: '{}' }, script: { 'A /api/jobs/1': [{ status: 502 }] } },
  { name: 'qbraid GET 404: raised', session: 'qbraid', request: { method: 'GET', path: 'jobs/9' }, script: { 'A /api/jobs/9': [{ status: 404, body: '{"message":"Job not found"}' }] } },

  // Retry-After: seconds, dates, invalid.
  { name: 'caveclient GET 429 with Retry-After 2, then 200', session: 'caveclient', request: { method: 'GET', path: '/r' }, script: { 'A /r': [{ status: 429, retryAfter: '2' }, ok] } },
  { name: 'qbraid GET 503 with Retry-After 1, always', session: 'qbraid', request: { method: 'GET', path: 'r' }, script: { 'A /api/r': [{ status: 503, retryAfter: '1' }] } },
  {
    name: 'caveclient GET 503 with a Retry-After date 3 s ahead, then 200',
    session: 'caveclient',
    request: { method: 'GET', path: '/r' },
    script: { 'A /r': [{ status: 503, retryAfterInSeconds: 3 }, ok] },
    datedSleeps: true,
  },
  { name: 'caveclient GET 503 with Retry-After: foo (invalid)', session: 'caveclient', request: { method: 'GET', path: '/r' }, script: { 'A /r': [{ status: 503, retryAfter: 'foo' }, ok] } },
  { name: 'qbraid POST 503 with Retry-After: -1 (invalid)', session: 'qbraid', request: { method: 'POST', path: 'r', body: '{}' }, script: { 'A /api/r': [{ status: 503, retryAfter: '-1' }, ok] } },

  // Connection resets and refused connections.
  { name: 'caveclient GET reset every time', session: 'caveclient', request: { method: 'GET', path: '/x' }, script: { 'A /x': ['reset'] } },
  { name: 'qbraid GET reset once, then 200', session: 'qbraid', request: { method: 'GET', path: 'x' }, script: { 'A /api/x': ['reset', ok] } },
  { name: 'qbraid POST reset: a read error on a method not allowed', session: 'qbraid', request: { method: 'POST', path: 'x', body: '{}' }, script: { 'A /api/x': ['reset', ok] } },
  { name: 'caveclient POST reset twice, then 200 (POST is an allowed method there)', session: 'caveclient', request: { method: 'POST', path: '/x', body: '{}' }, script: { 'A /x': ['reset', 'reset', ok] } },
  { name: 'caveclient GET to a refused port', session: 'caveclient', request: { method: 'GET', path: '/x', closed: true }, script: {} },
  { name: 'qbraid GET to a refused port', session: 'qbraid', request: { method: 'GET', path: 'x', closed: true }, script: {} },

  // Redirects: each status, same-origin and cross-origin, with and without bodies.
  { name: 'caveclient POST with a body, 301 same-origin', session: 'caveclient', request: { method: 'POST', path: '/m', body: '{"a":1}' }, script: { 'A /m': [to('/landed', 301)], 'A /landed': [ok] } },
  { name: 'caveclient PUT with a body, 302 same-origin', session: 'caveclient', request: { method: 'PUT', path: '/m', body: '{"a":1}' }, script: { 'A /m': [to('/landed', 302)], 'A /landed': [ok] } },
  { name: 'caveclient HEAD, 302 same-origin', session: 'caveclient', request: { method: 'HEAD', path: '/m' }, script: { 'A /m': [to('/landed', 302)], 'A /landed': [ok] } },
  { name: 'caveclient POST with a body, 303 cross-origin', session: 'caveclient', request: { method: 'POST', path: '/m', body: '{"a":1}' }, script: { 'A /m': [to('{B}/landed', 303)], 'B /landed': [ok] } },
  { name: 'caveclient POST with a body, 307 same-origin', session: 'caveclient', request: { method: 'POST', path: '/m', body: '{"a":1}' }, script: { 'A /m': [to('/landed', 307)], 'A /landed': [ok] } },
  { name: 'caveclient PUT with a body, 308 cross-origin', session: 'caveclient', request: { method: 'PUT', path: '/m', body: '{"a":1}' }, script: { 'A /m': [to('{B}/landed', 308)], 'B /landed': [ok] } },
  { name: 'caveclient GET, 301 cross-origin', session: 'caveclient', request: { method: 'GET', path: '/m' }, script: { 'A /m': [to('{B}/landed', 301)], 'B /landed': [ok] } },
  { name: 'caveclient DELETE, 308 same-origin, no body', session: 'caveclient', request: { method: 'DELETE', path: '/m' }, script: { 'A /m': [to('/landed', 308)], 'A /landed': [ok] } },
  { name: 'qbraid PUT with a body, 302 cross-origin', session: 'qbraid', request: { method: 'PUT', path: 'm', body: '{"a":1}' }, script: { 'A /api/m': [to('{B}/landed', 302)], 'B /landed': [ok] }, differences: ['custom-auth-stripped'] },
  { name: 'caveclient GET, 302 cross-origin and back', session: 'caveclient', request: { method: 'GET', path: '/m' }, script: { 'A /m': [to('{B}/away', 302)], 'B /away': [to('{A}/home', 302)], 'A /home': [ok] } },
  {
    name: 'qbraid POST with a body, 307 cross-origin: api-key stripped there',
    session: 'qbraid',
    request: { method: 'POST', path: 'm', body: '{"a":1}' },
    script: { 'A /api/m': [to('{B}/landed', 307)], 'B /landed': [ok] },
    differences: ['custom-auth-stripped'],
  },
  { name: 'qbraid GET, 301 same-origin: api-key kept', session: 'qbraid', request: { method: 'GET', path: 'm' }, script: { 'A /api/m': [to('/api/landed', 301)], 'A /api/landed': [ok] } },
  {
    name: 'qbraid DELETE, 303 cross-origin',
    session: 'qbraid',
    request: { method: 'DELETE', path: 'm' },
    script: { 'A /api/m': [to('{B}/landed', 303)], 'B /landed': [ok] },
    differences: ['custom-auth-stripped'],
  },

  // Redirects and the retry budget: each hop is a fresh send with a fresh budget.
  {
    name: 'qbraid GET through 3 redirects, more than retriesTotal 2',
    session: 'qbraid',
    request: { method: 'GET', path: 'h0' },
    script: { 'A /api/h0': [to('/api/h1', 302)], 'A /api/h1': [to('/api/h2', 302)], 'A /api/h2': [to('/api/h3', 302)], 'A /api/h3': [ok] },
  },
  {
    name: 'caveclient GET redirected to a target answering 503, 503, 200',
    session: 'caveclient',
    config: { maxRetries: 2 },
    request: { method: 'GET', path: '/h0' },
    script: { 'A /h0': [to('/t', 302)], 'A /t': [{ status: 503 }, { status: 503 }, ok] },
  },
  {
    name: 'qbraid GET 307 cross-origin, then 503 there, then 200: the retry re-sends the hop, stripped',
    session: 'qbraid',
    request: { method: 'GET', path: 'h0' },
    script: { 'A /api/h0': [to('{B}/t', 307)], 'B /t': [{ status: 503 }, ok] },
    differences: ['custom-auth-stripped'],
  },
  {
    name: 'caveclient GET 302 cross-origin, then a reset there, then 200',
    session: 'caveclient',
    request: { method: 'GET', path: '/h0' },
    script: { 'A /h0': [to('{B}/t', 302)], 'B /t': ['reset', ok] },
  },
  { name: 'caveclient GET redirect chain of 30, then 200', session: 'caveclient', request: { method: 'GET', path: '/c0' }, script: chain(30) },

  // Redirect loops.
  { name: 'caveclient GET redirect loop', session: 'caveclient', request: { method: 'GET', path: '/loop' }, script: { 'A /loop': [to('/loop', 302)] } },
  { name: 'qbraid POST redirect loop (307 keeps the body)', session: 'qbraid', request: { method: 'POST', path: 'loop', body: '{}' }, script: { 'A /api/loop': [to('/api/loop', 307)] } },

  // The join.
  {
    name: 'qbraid path /http://other/x',
    session: 'qbraid',
    request: { method: 'GET', path: '/{B}/x' },
    script: { 'B /x': [ok] },
    differences: ['base-url-confined'],
  },
];

// A same-origin chain of n redirects: /c0 → /c1 → … → /cn, which answers 200.
function chain(n: number): Script {
  const script: Record<string, Answer[]> = {};
  for (let i = 0; i < n; i++) script[`A /c${i}`] = [to(`/c${i + 1}`, 302)];
  script[`A /c${n}`] = [ok];
  return script;
}
