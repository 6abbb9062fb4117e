// What every build's mapping of fetch failures reads: the messages a page's fetch gives too
// (fetch-failure.ts adds the server runtimes' codes and messages; fetch-failure.browser.ts,
// the browser build's mapping, uses these alone).

// What each platform's fetch says for a network failure: Node, Chromium, Firefox, Safari, Deno.
export const NETWORK_MESSAGE = /fetch failed|failed to fetch|networkerror|load failed|error sending request|client error|connection|network/i;
export const INVALID_URL_MESSAGE =
  /invalid url|failed to parse url|url scheme .* not supported|scheme is not supported|unsupported protocol|not a valid url|fetching files is not supported|unknown scheme|not implemented\.\.\. yet/i;

// The Fetch standard's bad ports (https://fetch.spec.whatwg.org/#bad-port): fetch refuses them everywhere but Bun.
const BAD_PORTS = new Set(
  (
    '0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 111 113 115 117 119 123 135 137 139 143 161 ' +
    '179 389 427 465 512 513 514 515 526 530 531 532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080'
  )
    .split(' ')
    .map(Number),
);

/** Whether the URL's port is one fetch refuses (the Fetch standard's bad ports). */
export function hasBadPort(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { port } = new URL(url);
  return port !== '' && BAD_PORTS.has(Number(port));
}

/** The message of the innermost cause: what the runtime really said ("invalid upgrade header"). */
export function innermost(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5 && typeof (current as { cause?: unknown } | null)?.cause === 'object'; depth++) {
    current = (current as { cause: unknown }).cause;
  }
  const message = (current as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/** The `code` of the error or of the first cause (or aggregated error) that has one. */
export function findCode(error: unknown, depth = 0): string | undefined {
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

/** The messages of the error and its causes, joined. */
export function messages(error: unknown, depth = 0): string {
  if (depth > 5 || error === null || typeof error !== 'object') return '';
  const own = typeof (error as { message?: unknown }).message === 'string' ? (error as Error).message : '';
  return `${own} ${messages((error as { cause?: unknown }).cause, depth + 1)}`;
}

