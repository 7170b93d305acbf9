/**
 * Money, the one module (style.md): decimal strings with two places on the wire and in the database
 * ("129.90", numeric(14,2)), integer cents in arithmetic. Never a float.
 */

/** An amount in cents. */
export type Cents = bigint;

/** numeric(14,2): the largest amount a column holds, in cents. */
export const MAX_CENTS = 99_999_999_999_999n;

/** numeric(14,2): at most 12 digits before the point, exactly 2 after. */
const MONEY = /^(-?)([0-9]{1,12})\.([0-9]{2})$/;

/** Cents of a money string ("129.90"), or null when it is not one. */
export function parseMoney(value: string): Cents | null {
  const m = MONEY.exec(value);
  if (!m) return null;
  const cents = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -cents : cents;
}

/** Cents of a money string already validated; anything else is a bug and throws. */
export function toCents(value: string): Cents {
  const cents = parseMoney(value);
  if (cents === null) throw new Error(`Not a money string: "${value}"`);
  return cents;
}

/** 12990n → "129.90". */
export function fromCents(cents: Cents): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/**
 * Cents of an amount as the database drivers answer numeric: "59.9", "59.90", "59" or a number. Throws on
 * anything else.
 */
export function centsOf(amount: string | number): Cents {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new RangeError(`not an amount: ${amount}`);
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

/** The database answers numeric(14,2) as "59.9" or "59.90" depending on the driver: always two places. */
export function normaliseMoney(value: string | number): string {
  const [int = '0', frac = ''] = String(value).split('.');
  return `${int}.${frac.padEnd(2, '0').slice(0, 2)}`;
}
