// requests' `should_strip_auth`: credentials leave a request whose redirect changes host,
// port or scheme, except the plain http→https upgrade on the same host and default ports.

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
  // URL also drops a port that is its scheme's default (`http://h:80` has port ''), so an
  // empty port is the default one and equal ports mean the same port.
  if (a.protocol === 'http:' && b.protocol === 'https:' && a.port === '' && b.port === '') return false;
  return a.protocol !== b.protocol || a.port !== b.port;
}
