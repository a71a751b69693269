// Where `mine` writes: log lines and the status line on the terminal (terminal.ts), the status
// line redrawn in place and cut to the terminal's width, or printed whole as a plain line every
// 10 s elsewhere (a pipe, a file, a supervisor's journal);
// `--log-file` appends the same lines, status included, to a file; verbosity adds debug lines.
import { closeSync, openSync, writeSync } from 'node:fs';
import { formatLogLine, type Logger } from '../util/log.js';
import { ExitError, EXIT_CODES } from './exit-codes.js';
import { terminalStream } from './terminal.js';

export interface StatusOutputOptions {
  /** The status line as it is now; with `width`, no wider (a terminal's columns). */
  render(width?: number): string;
  logFile?: string;
  /** serominer's -v: 0 drops debug lines, anything else keeps them. */
  verbosity?: number;
  /** Where lines go (default the terminal, else stderr); its isTTY decides redraw or plain lines. */
  stream?: NodeJS.WriteStream;
  /** Plain status lines this often when not redrawing (default 10 s). */
  plainEveryMs?: number;
}

export interface StatusOutput {
  readonly log: Logger;
  setVerbosity(level: number): void;
  /** Stops the status line; the log file takes lines until the process exits (late closing messages). */
  stop(): void;
}

export function startStatusOutput(options: StatusOutputOptions): StatusOutput {
  const stream = options.stream ?? terminalStream();
  const tty = stream.isTTY === true;
  let verbosity = options.verbosity ?? 0;
  let fd: number | undefined;
  if (options.logFile) {
    try {
      fd = openSync(options.logFile, 'a');
    } catch (err) {
      throw new ExitError(`cannot open the log file: ${(err as Error).message}`, EXIT_CODES.runtime);
    }
    const opened = fd;
    process.once('exit', () => closeSync(opened));
  }
  const toFile = (line: string) => {
    if (fd === undefined) return;
    try {
      writeSync(fd, line);
    } catch {
      // a full disk must not stop mining; the terminal still gets every line
    }
  };
  let shown = false;
  // once stopped, lines logged while closing down are not followed by a status line (it would stay under them)
  let stopped = false;
  const clear = () => { if (tty && shown) stream.write('\r\x1b[2K'); shown = false; };
  // one column short of the width: a full row leaves the cursor waiting to wrap on some terminals
  const width = () => Math.max(20, (stream.getWindowSize?.()[0] ?? stream.columns ?? 80) - 1);
  const draw = () => { if (tty && !stopped) { stream.write(`\r\x1b[2K${options.render(width())}`); shown = true; } };
  const redraw = tty ? setInterval(draw, 1000) : undefined;
  const plain = setInterval(() => {
    const line = formatLogLine('info', options.render());
    if (!tty) stream.write(line);
    toFile(line);
  }, options.plainEveryMs ?? 10_000);
  const log: Logger = (level, message) => {
    if (level === 'debug' && verbosity === 0) return;
    const line = formatLogLine(level, message);
    clear();
    stream.write(line);
    draw();
    toFile(line);
  };
  return {
    log,
    setVerbosity(level) {
      verbosity = level;
    },
    stop() {
      stopped = true;
      clearInterval(redraw);
      clearInterval(plain);
      clear();
    },
  };
}
