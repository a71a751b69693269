// `-c, --config <file>`: a JSON object whose keys are a command's long option names and whose
// values are what the command line would take; the command line wins over it. `--print-config`
// writes the options in force in the same form, so its output is a config file.
import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { UsageError } from './exit-codes.js';

/** Options that only steer this mechanism and are never read from or written to a file. */
const NOT_CONFIGURABLE = new Set(['config', 'print-config', 'help']);

const keyOf = (option: Option) => option.long?.replace(/^--/, '') ?? '';

/** Whether the option collects repeated values (-P a -P b), told by parsing a sample twice. */
function isRepeatable(option: Option, sample: string): boolean {
  if (!option.parseArg) return false;
  try {
    const once: unknown = option.parseArg(sample, undefined as never);
    const twice: unknown = option.parseArg(sample, once as never);
    return Array.isArray(once) && Array.isArray(twice) && twice.length > once.length;
  } catch {
    return false;
  }
}

/** Turns one config value into the option's value, through the option's own parser. */
function convert(option: Option, value: unknown, where: string): unknown {
  const key = keyOf(option);
  const fail = (why: string): never => { throw new UsageError(`${where}: "${key}" ${why}`); };
  const parse = (text: string, previous: unknown): unknown => {
    if (!option.parseArg) return text;
    try {
      return option.parseArg(text, previous as never);
    } catch (err) {
      return fail((err as Error).message);
    }
  };
  const scalar = (v: unknown): string => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return fail(`expects a string or number, got ${JSON.stringify(v)}`);
  };
  if (!option.required && !option.optional) {
    if (typeof value !== 'boolean') fail(`is a switch: expects true or false, got ${JSON.stringify(value)}`);
    return option.negate ? !value : value;
  }
  if (!Array.isArray(value)) return parse(scalar(value), undefined);
  if (value.length === 0) fail('expects at least one value');
  // a repeatable option (-P …) accumulates; any other takes the list as one comma-separated value
  if (!isRepeatable(option, scalar(value[0]))) return parse(value.map(scalar).join(','), undefined);
  return value.reduce<unknown>((previous, v) => parse(scalar(v), previous), undefined);
}

/** Applies the file's values to every option the command line left unset. */
export function applyConfigFile(command: Command, file: string): void {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`config file ${file}: ${(err as Error).message}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new UsageError(`config file ${file}: expected a JSON object of option names and values`);
  for (const [key, value] of Object.entries(config)) {
    const option = command.options.find((o) => keyOf(o) === key);
    if (!option || NOT_CONFIGURABLE.has(key)) {
      const known = command.options.map(keyOf).filter((k) => k && !NOT_CONFIGURABLE.has(k));
      throw new UsageError(`config file ${file}: unknown option "${key}" (options: ${known.join(', ')})`);
    }
    const name = option.attributeName();
    if (command.getOptionValueSource(name) === 'cli') continue;
    command.setOptionValueWithSource(name, convert(option, value, `config file ${file}`), 'config');
  }
}

/** The options in force as a config file: long names, lists written back comma-separated. */
export function effectiveConfig(command: Command): Record<string, unknown> {
  const values = command.opts();
  const out: Record<string, unknown> = {};
  for (const option of command.options) {
    const key = keyOf(option);
    if (!key || NOT_CONFIGURABLE.has(key) || option.negate) continue;
    const value = values[option.attributeName()];
    if (value === undefined) continue;
    if (typeof value === 'bigint') out[key] = value.toString();
    else if (Array.isArray(value) && value.length > 0 && !isRepeatable(option, String(value[0]))) out[key] = value.join(',');
    else out[key] = value;
  }
  return out;
}
