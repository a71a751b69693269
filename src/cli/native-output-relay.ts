// Keeps what native libraries print (Dawn's "Warning: …" lines, written by C++ straight to the
// process's stdout and stderr) off the terminal: on a terminal, `mine` and `devices` run in a
// child whose stdout and stderr are pipes; this process passes every other line through, hands
// the native ones to the child (to log at debug level), and the child draws its log and status
// line on the terminal itself, through the descriptor it is given.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { withDefaultCommand } from './default-command.js';
import { EXIT_CODES } from './exit-codes.js';

/** Set in the child: the descriptor of the terminal it draws on. */
export const TERMINAL_FD_ENV = 'SERO_MINER_TERMINAL_FD';
/** The descriptor the child gets the terminal on (0-2 are its stdin and the two pipes). */
const TERMINAL_FD = 3;
/** The commands that open Dawn (its adapters print while they are listed and opened). */
const RELAYED_COMMANDS = new Set(['mine', 'devices']);

/** The message the child receives for each native line. */
export interface NativeLineMessage {
  readonly nativeLine: string;
}

/** A line in the format of Dawn's log (`Warning: …`, severity first); ours and Node's never start so. */
export function isNativeLine(line: string): boolean {
  return /^(Warning|Info|Debug): /.test(line);
}

/** Splits a stream's chunks into lines: native ones to `native`, every other one (and an unfinished last line) to `out`. */
function splitLines(out: NodeJS.WritableStream, native: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk.toString('utf8');
      let passed = '';
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl + 1);
        pending = pending.slice(nl + 1);
        if (isNativeLine(line)) native(line.trimEnd());
        else passed += line;
      }
      if (passed) out.write(passed);
    },
    end() {
      if (pending) out.write(pending);
      pending = '';
    },
  };
}

/**
 * Runs the command in a child behind the relay when it is one that opens Dawn and stderr is a
 * terminal; resolves with the child's exit code (a signal as 128 + its number), or undefined when
 * this process should run the command itself (not on a terminal, or already the child).
 */
export function relayNativeOutput(argv: readonly string[]): Promise<number> | undefined {
  if (process.env[TERMINAL_FD_ENV] !== undefined || process.stderr.isTTY !== true) return undefined;
  if (!RELAYED_COMMANDS.has(withDefaultCommand(argv)[2] ?? '')) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
    stdio: ['inherit', 'pipe', 'pipe', 2, 'ipc'],
    env: { ...process.env, [TERMINAL_FD_ENV]: String(TERMINAL_FD) },
  });
  const toChild = (line: string) => {
    if (child.connected) child.send({ nativeLine: line } satisfies NativeLineMessage, () => undefined);
  };
  const outputs = [splitLines(process.stdout, toChild), splitLines(process.stderr, toChild)] as const;
  child.stdout!.on('data', (chunk: Buffer) => outputs[0].write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => outputs[1].write(chunk));
  process.stdout.on('error', () => undefined);
  // Ctrl-C and a closed terminal reach the child from the terminal itself; a supervisor's SIGTERM is passed on
  const ignore = () => undefined;
  const terminate = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGHUP', ignore);
  process.on('SIGTERM', terminate);
  return new Promise((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`error: cannot start the miner: ${err.message}\n`);
      resolve(EXIT_CODES.internal);
    });
    child.once('close', (code, signal) => {
      for (const output of outputs) output.end();
      process.off('SIGINT', ignore);
      process.off('SIGHUP', ignore);
      process.off('SIGTERM', terminate);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
