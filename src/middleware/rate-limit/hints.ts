// What a response says about the rate limit, read from the headers servers use:
// - the IETF fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit: "day";r=0;t=30` and
//   `RateLimit-Policy: "day";q=100;w=86400`, and the earlier drafts' `RateLimit-Remaining`
//   / `RateLimit-Reset` and `RateLimit: limit=100, remaining=0, reset=30`;
// - `X-RateLimit-Remaining` / `X-RateLimit-Reset` (GitHub, Twitter, Discord …), whose reset is
//   seconds either from now or since the epoch;
// - `retry-after-ms` (milliseconds, as the OpenAI SDKs read it) and `Retry-After` on 429/503.
// Malformed values are ignored, never thrown: a hint can only make the client wait less wrongly.

/** What the server said: how many requests are left, and in how many ms the window resets. */
export interface RateLimitHint {
  /** Requests left in the current window, when the server said. */
  readonly remaining?: number;
  /** Milliseconds from now until the window resets (or until a retry is welcome). */
  readonly resetMs?: number;
  /** Which header the hint came from, for events and explain(). */
  readonly source: 'ratelimit' | 'x-ratelimit' | 'retry-after-ms' | 'retry-after';
}

const DIGITS = /^\s*\d+(\.\d+)?\s*$/;
// Above this, an X-RateLimit-Reset of seconds is an epoch time: 10^9 s is 2001, and no window
// lasts 31 years. GitHub sends epoch seconds; Twitter's v1, Discord and many others a delta.
const EPOCH_SECONDS = 1_000_000_000;

function number(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined || !DIGITS.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Seconds as a delta, or since the epoch, to milliseconds from `now`; a past time is 0. */
function resetFrom(seconds: number, now: number): number {
  return seconds >= EPOCH_SECONDS ? Math.max(0, seconds * 1000 - now) : seconds * 1000;
}

/**
 * The parameters of each item of a structured-field list (RFC 9651), as `RateLimit` and
 * `RateLimit-Policy` send them: `"a";r=5;t=30, "b";r=0;t=2` → [{ r: 5, t: 30 }, { r: 0, t: 2 }].
 * Only integer parameters are kept: the fields use no others that matter here.
 */
export function structuredItems(field: string): Array<Record<string, number>> {
  const items: Array<Record<string, number>> = [];
  for (const item of field.split(',')) {
    const [, ...params] = item.split(';');
    const parsed: Record<string, number> = {};
    for (const param of params) {
      const [key, value] = param.split('=').map((part) => part.trim());
      const n = number(value);
      if (key && n !== undefined) parsed[key.toLowerCase()] = n;
    }
    items.push(parsed);
  }
  return items;
}

/** The tightest item of the IETF `RateLimit` field (draft 8 and later, or drafts 5–7's dictionary). */
function ietf(field: string): { remaining?: number; reset?: number } | undefined {
  // Drafts 5–7: `limit=100, remaining=50, reset=30` as one dictionary.
  if (/(^|,)\s*remaining\s*=/i.test(field)) {
    const entries = Object.fromEntries(
      field.split(',').map((part) => part.split('=').map((s) => s.trim().toLowerCase()) as [string, string]),
    );
    const remaining = number(entries.remaining);
    const reset = number(entries.reset);
    return remaining === undefined && reset === undefined ? undefined : { ...(remaining !== undefined && { remaining }), ...(reset !== undefined && { reset }) };
  }
  // Draft 8 onward: one item per policy, `"name";r=remaining;t=seconds`; the fewest left wins.
  let tightest: { remaining?: number; reset?: number } | undefined;
  for (const { r, t } of structuredItems(field)) {
    if (r === undefined) continue;
    if (tightest === undefined || r < tightest.remaining!) tightest = { remaining: r, ...(t !== undefined && { reset: t }) };
  }
  return tightest;
}

/** The window of the IETF `RateLimit-Policy` field, in seconds: its shortest `w`. */
export function policyWindow(field: string | null): number | undefined {
  if (field === null) return undefined;
  const windows = structuredItems(field).flatMap(({ w }) => (w === undefined ? [] : [w]));
  return windows.length > 0 ? Math.min(...windows) : undefined;
}

/**
 * Reads the rate-limit hint of a response, or undefined when it carries none. `now` is
 * `Date.now()`, for resets given as epoch seconds; `retryAfterMs` is a parsed Retry-After, if
 * the caller has one (retry() owns that parser).
 */
export function readHint(headers: Headers, status: number, now: number, retryAfterMs?: number): RateLimitHint | undefined {
  const retryAfterMsHeader = number(headers.get('retry-after-ms'));
  if (retryAfterMsHeader !== undefined && (status === 429 || status === 503)) return { remaining: 0, resetMs: retryAfterMsHeader, source: 'retry-after-ms' };

  const field = headers.get('ratelimit');
  const fromIetf = field === null ? undefined : ietf(field);
  const remaining = fromIetf?.remaining ?? number(headers.get('ratelimit-remaining'));
  if (remaining !== undefined) {
    const seconds = fromIetf?.reset ?? number(headers.get('ratelimit-reset')) ?? policyWindow(headers.get('ratelimit-policy'));
    // The IETF reset is always a delta in seconds.
    return { remaining, ...(seconds !== undefined && { resetMs: seconds * 1000 }), source: 'ratelimit' };
  }

  const xRemaining = number(headers.get('x-ratelimit-remaining'));
  if (xRemaining !== undefined) {
    const xReset = number(headers.get('x-ratelimit-reset'));
    return { remaining: xRemaining, ...(xReset !== undefined && { resetMs: resetFrom(xReset, now) }), source: 'x-ratelimit' };
  }

  if (retryAfterMs !== undefined && (status === 429 || status === 503)) return { remaining: 0, resetMs: retryAfterMs, source: 'retry-after' };
  return undefined;
}
