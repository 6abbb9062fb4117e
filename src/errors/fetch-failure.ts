// Maps what a platform's fetch throws onto fetchpipe's error classes. Each runtime says
// different things: undici puts a `code` on the cause, Bun puts a `code` on the error,
// Deno only has a message, and browsers give a bare TypeError.
import {
  ConnectionError,
  ConnectTimeoutError,
  InvalidHeaderError,
  InvalidURLError,
  ReadTimeoutError,
  SSLError,
  TooManyRedirectsError,
  isAbortError,
  type RequestSummary,
} from './index.ts';

// Failures where the request never reached the server: safe to retry for any method.
const CONNECT_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN',
  'ENETDOWN', 'EADDRNOTAVAIL', 'ConnectionRefused', 'FailedToOpenSocket', 'DNSException',
]);
const CONNECT_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ConnectionTimedOut']);
const READ_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|TLS)/;

// Deno reports only messages (hyper/reqwest style); these say the connection was never made.
const CONNECT_MESSAGE = /tcp connect error|connection refused|dns error|failed to lookup address|name or service not known|no such host|network is unreachable|unable to connect/i;
const TLS_MESSAGE = /certificate|tls handshake|invalid peer|ssl/i;
// What each platform's fetch says for a network failure: Node, Chromium, Firefox, Safari, Deno.
const NETWORK_MESSAGE = /fetch failed|failed to fetch|networkerror|load failed|error sending request|client error|connection|network/i;
const INVALID_URL_MESSAGE =
  /invalid url|failed to parse url|url scheme .* not supported|scheme is not supported|unsupported protocol|not a valid url|fetching files is not supported|unknown scheme|not implemented\.\.\. yet/i;

// Programming errors: fetch refused the request before sending a byte, so sending it again
// fails the same way. They become InvalidHeaderError or InvalidURLError, which retry() never
// retries. How each runtime says it (checked by the shared suite):
// - Node (undici): TypeError "fetch failed", cause [UND_ERR_INVALID_ARG] "invalid upgrade header"
//   (transfer-encoding, keep-alive, connection), [UND_ERR_NOT_SUPPORTED] "expect header not
//   supported", [UND_ERR_REQ_CONTENT_LENGTH_MISMATCH]; a bad port is a cause Error "bad port";
// - Deno 2.9: sends those headers; a bad port is TypeError "Fetch failed: Requests to port 6000 are blocked";
// - Bun 1.4: sends those headers and connects to any port (a refusal there is a real connect error);
// - Chromium: drops forbidden headers silently; a bad port is a bare "Failed to fetch", told
//   apart from a network failure by the port itself being on the Fetch standard's list.
const REFUSED_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);
const HEADER_MESSAGE = /header|content-length/i;
const BAD_PORT_MESSAGE = /bad port|requests to port \d+ are blocked|port \d+ is (?:blocked|restricted)/i;
// The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#bad-port): fetch refuses them everywhere but Bun.
const BAD_PORTS = new Set(
  (
    '0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 111 113 115 117 119 123 135 137 139 143 161 ' +
    '179 389 427 465 512 513 514 515 526 530 531 532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080'
  )
    .split(' ')
    .map(Number),
);

function hasBadPort(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { port } = new URL(url);
  return port !== '' && BAD_PORTS.has(Number(port));
}

/** The message of the innermost cause: what the runtime really said ("invalid upgrade header"). */
function innermost(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5 && typeof (current as { cause?: unknown } | null)?.cause === 'object'; depth++) {
    current = (current as { cause: unknown }).cause;
  }
  const message = (current as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

// A platform's own redirect limit, hit when fetch itself follows: Node (undici) puts "redirect
// count exceeded" on the cause, Deno says "Maximum number of redirects (20) reached", Bun gives
// the code TooManyRedirects. requests calls this TooManyRedirects: it is never a network failure.
const REDIRECT_LIMIT_CODE = 'TooManyRedirects';
const REDIRECT_LIMIT_MESSAGE = /redirect count exceeded|maximum number of redirects|too many redirects|redirected too many times/i;

/** The `code` of the error or of the first cause (or aggregated error) that has one. */
function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== 'ERR_INVALID_ARG_TYPE') return code;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) {
    const found = findCode(inner, depth + 1);
    if (found) return found;
  }
  return findCode((error as { cause?: unknown }).cause, depth + 1);
}

function messages(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || typeof error !== 'object') return '';
  const own = typeof (error as { message?: unknown }).message === 'string' ? (error as Error).message : '';
  return `${own} ${messages((error as { cause?: unknown }).cause, depth + 1)}`;
}

/**
 * Turns a fetch failure into ConnectionError (with its phase), ConnectTimeoutError, SSLError,
 * ReadTimeoutError, InvalidURLError or TooManyRedirectsError (the platform's own redirect
 * limit), with the original as `cause`. A user's abort, and any
 * error that is not a network failure (thrown by a custom fetch, say), is returned unchanged.
 */
export function mapFetchFailure(error: unknown, request: RequestSummary): unknown {
  if (isAbortError(error) || error === null || typeof error !== 'object') return error;
  const options = { cause: error, request };
  const code = findCode(error);
  // Each message names the request, then the platform's code (ERR_INVALID_URL would only repeat the message).
  const detail = code === undefined || code === 'ERR_INVALID_URL' ? '' : ` (${code})`;
  const message = (what: string) => `${what} for ${request.method} ${request.url}${detail}`;
  if (code === REDIRECT_LIMIT_CODE || (error instanceof TypeError && REDIRECT_LIMIT_MESSAGE.test(messages(error)))) {
    return new TooManyRedirectsError(message('Too many redirects (the platform’s limit)'), options);
  }
  const refused = (what: string) => `${what} for ${request.method} ${request.url}: fetch refused it before sending (${innermost(error)})${detail}`;
  if (BAD_PORT_MESSAGE.test(messages(error))) return new InvalidURLError(refused('Bad port'), options);
  if (code !== undefined && REFUSED_CODES.has(code)) {
    // Only header refusals have a class of their own; any other is left as the TypeError it is (never retried).
    return HEADER_MESSAGE.test(messages(error)) ? new InvalidHeaderError(refused('Invalid request header'), options) : error;
  }
  if (code !== undefined) {
    if (CONNECT_TIMEOUT_CODES.has(code)) return new ConnectTimeoutError(message('Connect timeout'), options);
    if (READ_TIMEOUT_CODES.has(code)) return new ReadTimeoutError(message('Read timeout'), options);
    if (CONNECT_CODES.has(code)) return new ConnectionError(message('Cannot connect'), { ...options, phase: 'connect' });
    if (TLS_CODE.test(code)) return new SSLError(message('TLS failure'), options);
    if (code === 'ERR_INVALID_URL') return new InvalidURLError(message('Invalid URL'), options);
    // ECONNRESET, EPIPE, UND_ERR_SOCKET and the rest: the connection broke after sending.
    return new ConnectionError(message('Connection failed'), { ...options, phase: 'read' });
  }
  if (!(error instanceof TypeError)) return error;
  const text = messages(error);
  if (INVALID_URL_MESSAGE.test(text)) return new InvalidURLError(message('Invalid URL'), options);
  // Other TypeErrors (a bad header value, a GET with a body) are the caller's mistakes: left as they are.
  if (!NETWORK_MESSAGE.test(text)) return error;
  // A bare "Failed to fetch" for a port fetch refuses is that refusal, not a network failure.
  if (hasBadPort(request.url)) return new InvalidURLError(refused('Bad port'), options);
  if (CONNECT_MESSAGE.test(text)) return new ConnectionError(message('Cannot connect'), { ...options, phase: 'connect' });
  if (TLS_MESSAGE.test(text)) return new SSLError(message('TLS failure'), options);
  // Browsers' "Failed to fetch" hides the phase; treat it as a read error, the conservative choice.
  return new ConnectionError(message('Connection failed'), { ...options, phase: 'read' });
}
