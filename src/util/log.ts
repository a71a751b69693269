// The one logging seam of every layer (backends, network, devnet, miner): library code never
// prints on its own, the caller decides where lines go (the CLI, a status line, a test).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type Logger = (level: LogLevel, message: string) => void;

/** The one line format of every sink: time, level, message. */
export function formatLogLine(level: LogLevel, message: string, at = new Date()): string {
  return `${at.toISOString()} ${level.padEnd(5)} ${message}\n`;
}

/** Default sink: one timestamped line per message on stderr; debug lines are dropped. */
export const stderrLogger: Logger = (level, message) => {
  if (level === 'debug') return;
  process.stderr.write(formatLogLine(level, message));
};

export const silentLogger: Logger = () => {};

/** Same sink, every message prefixed (for example with the pool or the peer address). */
export function withPrefix(logger: Logger, prefix: string): Logger {
  return (level, message) => logger(level, `${prefix} ${message}`);
}

export { escapeText, preview } from './escape.js';
