// Retry-After (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in one of the three forms
// of §5.6.7. Parsed strictly: Date.parse would take "1.0" or "foo 1" as dates.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const DAY = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAY = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^(?:${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`);
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^(?:${LONG_DAY}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`);
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^(?:${DAY}) (${MONTH}) ([ \\d]\\d) ${TIME} (\\d{4})$`);

const DELAY_SECONDS = /^\s*\d+\s*$/;

function toTime(year: number, month: string, day: number, hour: number, minute: number, second: number): number | undefined {
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are (year 0000 stays 0000).
  date.setUTCFullYear(year, MONTHS.indexOf(month), day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The time an HTTP-date names, in ms since the epoch, or undefined if it is not one. */
export function parseHttpDate(value: string): number | undefined {
  const text = value.trim();
  let m = IMF_FIXDATE.exec(text);
  if (m) return toTime(+m[3]!, m[2]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  m = RFC_850.exec(text);
  if (m) {
    // Python's email.utils (and so urllib3) reads two-digit years 69–99 as 19xx, 00–68 as 20xx.
    const yy = +m[3]!;
    return toTime(yy > 68 ? 1900 + yy : 2000 + yy, m[2]!, +m[1]!, +m[4]!, +m[5]!, +m[6]!);
  }
  m = ASCTIME.exec(text);
  // Unary plus ignores the space that pads a one-digit asctime day (" 6").
  if (m) return toTime(+m[6]!, m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!);
  return undefined;
}

export type RetryAfter =
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid'; readonly value: string }
  /** `ms` is capped at the maximum; 0 (or a past date) means no usable wait. */
  | { readonly kind: 'delay'; readonly ms: number };

const ABSENT: RetryAfter = Object.freeze({ kind: 'absent' });

/**
 * Parses a Retry-After value into a delay in milliseconds, capped at `maxMs`.
 * A past date gives 0. `-1`, `+1`, `1.0`, `foo` and the empty string are invalid.
 */
export function parseRetryAfter(value: string | null, nowMs: number, maxMs: number): RetryAfter {
  if (value === null) return ABSENT;
  let seconds: number;
  if (DELAY_SECONDS.test(value)) {
    // Number() ignores the whitespace around the digits, as the pattern allows.
    seconds = Number(value);
  } else {
    const time = parseHttpDate(value);
    // The patterns and toTime bound every field, so a date that parses is never an Invalid Date (NaN).
    if (time === undefined) return { kind: 'invalid', value };
    seconds = Math.max(0, (time - nowMs) / 1000);
  }
  return { kind: 'delay', ms: Math.min(seconds * 1000, maxMs) };
}
