// The exit codes of sero-miner, serominer's where they apply (README "Exit codes"): a supervisor
// restarts the miner on anything but 0 and can tell from the code what went wrong.
import { InvalidArgumentError } from 'commander';
import { PoolUriError } from '../net/wire/uri.js';

export const EXIT_CODES = {
  /** Stopped as asked (Ctrl-C, SIGTERM, --duration). */
  ok: 0,
  /** Bad command line or config file (serominer: invalid arguments). */
  usage: 1,
  /** Could not start or keep running: no device, API port taken, unreadable data directory (serominer: runtime error). */
  runtime: 2,
  /** An unexpected exception (serominer: other exception). */
  internal: 3,
  /** Something thrown that is not even an error (serominer: unknown failure). */
  unknown: 4,
  /** The watchdog restarted a device or waited for work too often and gave up. */
  watchdog: 5,
  /** Every pool refused the login: no connection is left to try (ethminer exits then too). */
  loginRefused: 6,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** A failure that knows its exit code. */
export class ExitError extends Error {
  constructor(message: string, readonly code: ExitCode) {
    super(message);
    this.name = 'ExitError';
  }
}

/** A command line or config file the miner cannot run with. */
export class UsageError extends ExitError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
    this.name = 'UsageError';
  }
}

/**
 * Errors that name their code keep it; any other error is a request the miner refused (1, as
 * a bad argument): commands wrap the failures a restart may cure in ExitError(runtime).
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof ExitError) return error.code;
  if (error instanceof Error) return EXIT_CODES.usage;
  return EXIT_CODES.unknown;
}

/** Runs a step whose failure is a runtime error (exit 2) unless it is a usage error. */
export async function atRuntime<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ExitError || error instanceof InvalidArgumentError || error instanceof PoolUriError) throw error;
    throw new ExitError(error instanceof Error ? error.message : String(error), EXIT_CODES.runtime);
  }
}
