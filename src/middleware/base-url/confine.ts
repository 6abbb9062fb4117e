// Whether a resolved URL stays under the base, as the URL parser sees it and as a server would
// read its path. The parser has already removed `.`, `..`, `%2e%2e` and backslash segments.
// What it leaves and a server may still climb with: an encoded slash or backslash (`..%2f`,
// `..%5c`), a double-encoded one (`..%252f`), look-alikes that Unicode normalisation (NFKC)
// turns into `/`, `\` or `.` (full-width `／`, `＼`, `．`, the one-dot leader `․`), and path
// parameters that Tomcat and servers built like it drop (`..;x/`), and decoded controls that
// servers cut at (`..%00` in C), drop (`.%09.`) or trim (`..%01`, `%20..`).

const ESCAPE_RUN = /(?:%[0-9a-f]{2})+/gi;
const TAB_OR_NEWLINE = /[\t\n\r]/g;
const EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

/** One decoding pass, as a server does: runs of escapes that form UTF-8 decode, stray ASCII ones too. */
function decodeOnce(text: string): string {
  return text.replace(ESCAPE_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8 as a whole: the ASCII escapes (`%2f`, `%2e`, `%5c` among them) still decode.
      return run.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
  });
}

/**
 * Whether `path` (as sent, relative to a directory) can climb above that directory for a server
 * that decodes it once or twice, normalises it (NFKC), reads `\` as `/`, drops `;` parameters,
 * cuts a name at NUL, drops tabs and newlines, trims controls and spaces, and resolves `..`. Empty segments count as nothing, so servers that collapse `//` and servers
 * that keep it are both covered.
 */
export function climbsAbove(path: string): boolean {
  const view = decodeOnce(decodeOnce(path)).normalize('NFKC').replace(/\\/g, '/');
  let depth = 0;
  for (const segment of view.split('/')) {
    const name = segment.split(';', 1)[0]!.split('\u0000', 1)[0]!.replace(TAB_OR_NEWLINE, '').replace(EDGES, '');
    if (name === '..') {
      if (--depth < 0) return true;
    } else if (name !== '.' && name !== '') depth++;
  }
  return false;
}

/**
 * Whether `resolved` has `root`'s origin and credentials and a path inside `root`'s path (which
 * ends in `/`), both as sent and as a server would resolve it (see `climbsAbove`).
 */
export function isUnder(resolved: URL, root: URL): boolean {
  if (resolved.origin !== root.origin || resolved.username !== root.username || resolved.password !== root.password) return false;
  const { pathname } = resolved;
  return pathname.startsWith(root.pathname) && !climbsAbove(pathname.slice(root.pathname.length));
}
