// Maps what a platform's fetch throws onto fetchpipe's error classes. Each runtime says
// different things: undici puts a `code` on the cause, Bun puts a `code` on the error,
// Deno only has a message, and browsers give a bare TypeError. The package's browser build
// uses fetch-failure.browser.ts instead, which leaves out every server runtime's table.
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
import { INVALID_URL_MESSAGE, NETWORK_MESSAGE, findCode, hasBadPort, innermost, messages } from './failure-text.ts';

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
// A platform's own redirect limit, hit when fetch itself follows: Node (undici) puts "redirect
// count exceeded" on the cause, Deno says "Maximum number of redirects (20) reached", Bun gives
// the code TooManyRedirects. requests calls this TooManyRedirects: it is never a network failure.
const REDIRECT_LIMIT_CODE = 'TooManyRedirects';
const REDIRECT_LIMIT_MESSAGE = /redirect count exceeded|maximum number of redirects|too many redirects|redirected too many times/i;

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
