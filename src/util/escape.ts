// Text from the network made safe for a log line or the terminal. Plain TypeScript (no process
// or Buffer), so the codecs the PoW core uses can describe bad input with it in a browser too.

/** Characters JSON leaves as they are but a terminal may act on: DEL, C1 controls (0x9b starts an escape sequence), line and bidi controls. */
const TERMINAL_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from the network (a pool's reason, a node's error) made safe for a log line or the
 * terminal: every control character and escape code written as an escape (`\n`, `\u001b`),
 * at most `max` characters shown. The one helper for such text; `preview` quotes it.
 */
export function escapeText(text: string, max = 200): string {
  const shown = text.length > max ? text.slice(0, max) : text;
  const escaped = JSON.stringify(shown).slice(1, -1).replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return text.length > max ? `${escaped}… (${text.length} chars)` : escaped;
}

/** Shortens untrusted text for a log line: quoted, one line, bounded length, visible control bytes. */
export function preview(text: string, max = 120): string {
  const shown = escapeText(text.length > max ? text.slice(0, max) : text, max);
  return text.length > max ? `"${shown}"… (${text.length} chars)` : `"${shown}"`;
}
