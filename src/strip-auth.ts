// requests' `should_strip_auth`: credentials leave a request whose redirect changes host,
// port or scheme, except the plain http→https upgrade on the same host and default ports.

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

function portOf(url: URL): string {
  return url.port || DEFAULT_PORT[url.protocol] || '';
}

/** Whether a redirect from `from` to `to` must drop credentials. Unparsable URLs always strip. */
export function shouldStripAuth(from: string, to: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(from);
    b = new URL(to);
  } catch {
    return true;
  }
  // URL already lower-cases hosts, so the comparison is case-insensitive.
  if (a.hostname !== b.hostname) return true;
  if (a.protocol === 'http:' && b.protocol === 'https:' && portOf(a) === '80' && portOf(b) === '443') return false;
  return a.protocol !== b.protocol || portOf(a) !== portOf(b);
}
