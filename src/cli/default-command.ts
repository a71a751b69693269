// Which command an argument list runs: serominer's command line has no commands, so options first mean `mine`.

/** Options the program itself takes; any other option first means `mine`. */
const PROGRAM_OPTIONS = new Set(['-h', '--help', '-V', '--version']);

/**
 * serominer's command line has no commands: `sero-miner -P <uri> …` (or `--list-devices`,
 * `-M <block>`, …) is `sero-miner mine -P <uri> …`.
 */
export function withDefaultCommand(argv: readonly string[]): string[] {
  const first = argv[2];
  if (first === undefined || !first.startsWith('-') || PROGRAM_OPTIONS.has(first)) return [...argv];
  return [...argv.slice(0, 2), 'mine', ...argv.slice(2)];
}
