// SERO amounts: ta per SERO, and amounts parsed from and written as SERO text.

/** Smallest unit ("ta") per SERO. All amounts are bigint counts of ta. */
export const TA_PER_SERO = 10n ** 18n;
const DECIMALS = 18;

/** Whole or fractional SERO given as a decimal string or a safe integer, in ta. */
export function sero(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value * TA_PER_SERO;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`sero(): ${value} is not a safe integer; pass a decimal string`);
    return BigInt(value) * TA_PER_SERO;
  }
  return parseSero(value);
}

/** Parses a decimal SERO amount ("12", "-0.5", "1.000000000000000001") exactly into ta. */
export function parseSero(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!match) throw new SyntaxError(`not a SERO amount with at most ${DECIMALS} decimals: "${text}"`);
  const [, sign, whole, fraction = ''] = match;
  const ta = BigInt(whole!) * TA_PER_SERO + BigInt(fraction.padEnd(DECIMALS, '0'));
  return sign === '-' ? -ta : ta;
}

export interface FormatSeroOptions {
  /** Pad the fraction with zeros to at least this many digits (never rounds). */
  minDecimals?: number;
  /** Append " SERO". */
  unit?: boolean;
}

/** Exact decimal rendering of an amount in ta: no rounding, trailing zeros trimmed. */
export function formatSero(amount: bigint, options: FormatSeroOptions = {}): string {
  const minDecimals = options.minDecimals ?? 0;
  if (!Number.isInteger(minDecimals) || minDecimals < 0 || minDecimals > DECIMALS) {
    throw new RangeError(`minDecimals must be an integer in 0..${DECIMALS}`);
  }
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const whole = magnitude / TA_PER_SERO;
  let fraction = (magnitude % TA_PER_SERO).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  fraction = fraction.padEnd(minDecimals, '0');
  const text = `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
  return options.unit ? `${text} SERO` : text;
}
