// httpErrors(): requests' raise_for_status. A 4xx or 5xx response becomes an HTTPError.
import {
  HTTPError,
  defineMiddleware,
  fn,
  maskText,
  optional,
  parseOptions,
  strictObject,
  type FetchpipeRequest,
  type Input,
  type Middleware,
  type Same,
  untilAborted,
} from '../../kit/index.ts';
import { bufferErrorBody } from './bounded-body.ts';

/**
 * Builds the message of an HTTPError from the failed response (a clone: read its body freely).
 * `standard` is requests' own message, for extractors that fall back to it.
 */
export type HTTPErrorMessage = (response: Response, request: FetchpipeRequest, standard: string) => string | Promise<string>;

const optionsSchema = strictObject(
  { message: optional(fn<HTTPErrorMessage>('a function (response, request) => string')) },
  { error: 'expected an options object' },
);

export interface HTTPErrorsOptions {
  /**
   * Builds the error message, e.g. from a JSON body. It gets a clone of the response, so
   * `error.response` stays readable; both hold at most the first 1 MiB of the body, read
   * before the error is built so that the connection is freed. The result is masked; if it
   * throws or returns an empty string, the standard message is used; the caller's abort ends
   * it at once. @default requests' `503 Server Error: Service Unavailable for url: <url>`
   */
  message?: HTTPErrorMessage;
}
true satisfies Same<Input<typeof optionsSchema>, HTTPErrorsOptions>;

// RFC 9110 reason phrases, for responses without a status text (HTTP/2 and HTTP/3 have none).
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Content Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: "I'm a Teapot", 421: 'Misdirected Request', 422: 'Unprocessable Content', 423: 'Locked', 424: 'Failed Dependency',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected',
  510: 'Not Extended', 511: 'Network Authentication Required',
};

/**
 * Throws an HTTPError for a 4xx or 5xx response, with requests' message and the response kept.
 * The body is read first (at most 1 MiB, the rest cancelled), so a caught error never pins
 * a connection or a `pool()` slot; `error.response.text()` still gives what was read.
 * @example
 * const client = createClient([httpErrors(), retry(), baseUrl('https://api.example.com/')]);
 */
export function httpErrors(options: HTTPErrorsOptions = {}): Middleware {
  // 1. Config, once: the options are validated and resolved when the factory is called.
  const { message } = parseOptions('httpErrors', optionsSchema, options);
  // 2. Per client: nothing; the handler keeps no state, so one serves every client.
  // 3. Per request:
  return defineMiddleware(
    async function httpErrors(request, next) {
      const received = await next(request);
      if (received.status < 400 || received.status > 599) return received;
      // The error keeps at most 1 MiB of the body, read now: the connection and any pool()
      // slot are free by the time the caller holds the error.
      const response = await bufferErrorBody(received, request.signal);
      // Read after the call: URL credentials moved at send time joined the call's masker then.
      const masker = request.context.masker;
      const url = maskText(response.url || request.url, masker);
      const standard = standardMessage(response, url);
      const custom = message === undefined ? '' : await untilAborted(extract(message, response, request, standard), request.signal);
      const text = custom !== '' ? custom : standard;
      throw new HTTPError(maskText(text, masker), { request: { method: request.method, url }, response });
    },
    {
      name: 'httpErrors',
      options: { message: message === undefined ? 'standard' : 'custom' },
      // Inside retry(), it would turn every status retry() retries into an error it does not retry.
      before: ['retry'],
    },
  );
}

function standardMessage(response: Response, url: string): string {
  const kind = response.status < 500 ? 'Client Error' : 'Server Error';
  const reason = response.statusText || REASONS[response.status];
  return reason ? `${response.status} ${kind}: ${reason} for url: ${url}` : `${response.status} ${kind} for url: ${url}`;
}

async function extract(message: HTTPErrorMessage, response: Response, request: FetchpipeRequest, standard: string): Promise<string> {
  try {
    const text = await message(response.clone(), request, standard);
    return typeof text === 'string' ? text : '';
  } catch {
    // A failing extractor must not hide the HTTP error it was describing.
    return '';
  }
}
