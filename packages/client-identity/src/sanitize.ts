// User agents are attacker-controlled strings that end up in ClickHouse, terminals and HTML, so every
// value we emit is bounded and free of control characters and lone surrogates.

/** Longer user agents are cut here before parsing (real ones are well under 300 characters). */
export const MAX_USER_AGENT_LENGTH = 1024;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Bounded, trimmed, printable text of a UA; '' when absent or blank. */
export function cleanUserAgent(ua: string | null | undefined): string {
  if (typeof ua !== 'string') return '';
  const s = (ua.length > MAX_USER_AGENT_LENGTH ? ua.slice(0, MAX_USER_AGENT_LENGTH) : ua).trim();
  return firstUnsafe(s) === -1 ? s : replaceUnsafe(s).trim();
}

/** Index of the first C0/C1 control, DEL or lone UTF-16 surrogate (e.g. left by a cut), or -1. */
function firstUnsafe(s: string): number {
  for (let i = 0; i < s.length; i++) if (unsafeAt(s, i)) return i;
  return -1;
}

function unsafeAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  if (isHigh(c)) return !isLow(s.charCodeAt(i + 1));
  if (isLow(c)) return !isHigh(s.charCodeAt(i - 1));
  return false;
}

function replaceUnsafe(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    // HTAB is legal inside a header value: keep it as the separator it is meant to be.
    if (s.charCodeAt(i) === 0x09) out += ' ';
    else out += unsafeAt(s, i) ? '\uFFFD' : s.charAt(i);
  }
  return out;
}

/** Cuts to at most `max` UTF-16 units without leaving half of a surrogate pair at the end. */
export function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  return s.slice(0, isHigh(s.charCodeAt(max - 1)) ? max - 1 : max);
}
