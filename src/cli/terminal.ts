// The terminal a command draws its log and status line on, and the native libraries' lines the
// relay in front of it caught (native-output-relay.ts): stderr, or in the relay's child the
// descriptor the relay handed over, while stderr is a pipe that native code cannot soil.
import { isatty, WriteStream } from 'node:tty';
import { TERMINAL_FD_ENV, type NativeLineMessage } from './native-output-relay.js';

/** Distinct native lines logged at most; a library that keeps printing new ones is not followed further. */
const MAX_NATIVE_LINES = 100;

let terminal: NodeJS.WriteStream | undefined;

/** Where the log and the status line go: the relay's terminal descriptor in its child, else stderr. */
export function terminalStream(): NodeJS.WriteStream {
  if (terminal === undefined) {
    const fd = Number(process.env[TERMINAL_FD_ENV]);
    terminal = Number.isInteger(fd) && fd > 2 && isatty(fd) ? (new WriteStream(fd) as NodeJS.WriteStream) : process.stderr;
  }
  return terminal;
}

/** The native lines caught so far, logged once the command says where (logNativeLines). */
const caught: string[] = [];
let sink: ((line: string) => void) | undefined;

/**
 * In the relay's child: takes the native lines the relay passes on, each distinct line once, and
 * ends the command as SIGTERM would when the relay is gone (killed). Does nothing elsewhere.
 */
export function attachToRelay(): void {
  if (process.send === undefined || process.env[TERMINAL_FD_ENV] === undefined) return;
  const seen = new Set<string>();
  process.on('message', (message: Partial<NativeLineMessage> | undefined) => {
    const line = message?.nativeLine;
    if (typeof line !== 'string' || seen.has(line) || seen.size >= MAX_NATIVE_LINES) return;
    seen.add(line);
    if (sink) sink(line);
    else caught.push(line);
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // the channel must not keep the command running once it is done
  process.channel?.unref();
}

/** Where the native lines go from now on (those caught before first). */
export function logNativeLines(log: (line: string) => void): void {
  sink = log;
  for (const line of caught.splice(0)) log(line);
}
