// fetchpipe's events in OpenTelemetry's terms: the attributes of the HTTP client semantic
// conventions (https://opentelemetry.io/docs/specs/semconv/http/http-spans/), computed from an
// event's fields alone. No @opentelemetry import here: these are plain records.

/** Attribute values as OpenTelemetry takes them. */
export type Attributes = Record<string, string | number | boolean>;

// The methods the conventions know (RFC 9110, RFC 5789, and QUERY); any other is `_OTHER`.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

// Query parameters the conventions redact by default in `url.full` (signed-URL credentials);
// fetchpipe's own masking (URL credentials, auth values, `maskQueryParams`) has already run.
const REDACTED_QUERY = ['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature'];

/** `http.request.method`, and `http.request.method_original` when the method is not a known one. */
export function methodAttributes(method: string): Attributes {
  return KNOWN_METHODS.has(method) ? { 'http.request.method': method } : { 'http.request.method': '_OTHER', 'http.request.method_original': method };
}

/** The span name the conventions give a client span with no URL template: the method (or `HTTP`). */
export function spanName(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'HTTP';
}

/** `url.full` with the signed-URL query values replaced by `REDACTED`, as the conventions ask. */
export function redactUrl(url: string): string {
  return url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep: string, key: string) =>
    REDACTED_QUERY.includes(decodeURIComponentSafe(key)) ? `${sep}${key}=REDACTED` : whole,
  );
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** `server.address`, `server.port` and `url.scheme` of an absolute URL (none for a relative one). */
export function serverAttributes(url: string): Attributes {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  const port = parsed.port === '' ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  return {
    'server.address': parsed.hostname,
    ...(port !== undefined && { 'server.port': port }),
    'url.scheme': parsed.protocol.slice(0, -1),
  };
}

/**
 * `error.type`: the error's class name when the attempt failed, else the status as a string
 * when it is 400 or more (client spans count 4xx as errors); undefined for a success.
 */
export function errorType(status: number | undefined, error: string | undefined): string | undefined {
  if (error !== undefined) return error;
  return status !== undefined && status >= 400 ? String(status) : undefined;
}

/** What an `attempt` event says, as the attributes of its span. */
export interface AttemptFacts {
  readonly method: string;
  /** Masked already. */
  readonly url: string;
  /** 1 for the first attempt; each retry or redirect hop adds one. */
  readonly attempt: number;
  readonly status?: number;
  readonly error?: string;
}

/** The span attributes of one physical attempt. */
export function attemptAttributes(facts: AttemptFacts): Attributes {
  const type = errorType(facts.status, facts.error);
  return {
    ...methodAttributes(facts.method),
    'url.full': redactUrl(facts.url),
    ...serverAttributes(facts.url),
    ...(facts.status !== undefined && { 'http.response.status_code': facts.status }),
    // The conventions set it only on resends: retries and redirect hops alike.
    ...(facts.attempt > 1 && { 'http.request.resend_count': facts.attempt - 1 }),
    ...(type !== undefined && { 'error.type': type }),
  };
}

/** The attributes the duration histogram takes (the conventions' low-cardinality set: no URL). */
export function metricAttributes(facts: AttemptFacts): Attributes {
  const { 'url.full': _url, 'http.request.resend_count': _resends, 'http.request.method_original': _original, ...rest } = attemptAttributes(facts);
  return rest;
}
