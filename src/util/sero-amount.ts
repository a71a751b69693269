// SERO amounts are bigint "ta" (1 SERO = 10^18 ta); shown as exact decimal SERO strings.
export const TA_PER_SERO = 10n ** 18n;

export function seroToTa(sero: bigint | number): bigint {
  return BigInt(sero) * TA_PER_SERO;
}

/** "45", "5.625", "0.000759357": exact, no trailing zeros, no floating point. */
export function formatSero(ta: bigint): string {
  const sign = ta < 0n ? '-' : '';
  const abs = ta < 0n ? -ta : ta;
  const whole = abs / TA_PER_SERO;
  const frac = (abs % TA_PER_SERO).toString().padStart(18, '0').replace(/0+$/, '');
  return sign + whole.toString() + (frac ? '.' + frac : '');
}

/** Parse a decimal SERO string ("72", "0.5") into ta, exactly. */
export function parseSero(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a SERO amount: ${JSON.stringify(text)}`);
  const ta = BigInt(m[2]!) * TA_PER_SERO + BigInt((m[3] ?? '').padEnd(18, '0'));
  return m[1] ? -ta : ta;
}
