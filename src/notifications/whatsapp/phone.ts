/**
 * Phone numbers as the Cloud API's `to` takes them: E.164 digits without the "+". An order carries the
 * number as the customer typed it ("(11) 98765-4321", "+55 11 98765-4321", "011 98765-4321"); a
 * Brazilian number becomes 55 + DDD + subscriber number. Pure.
 */

/** The area codes (DDD) Anatel assigns; any other two digits are not a Brazilian number. */
const DDDS = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43, 44, 45, 46,
  47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85,
  86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
]);

export type PhoneProblem = 'empty' | 'characters' | 'length' | 'area_code' | 'subscriber';

export type NormalisedPhone = { ok: true; e164: string } | { ok: false; problem: PhoneProblem };

/**
 * Anatel's numbering plan: a mobile has 9 digits starting with 9 (since 2016); a landline 8 digits
 * starting with 2 to 5. An 8-digit number starting with 6 to 9 is a mobile written before the ninth
 * digit was added: the 9 is prefixed, as every operator routes it.
 */
function brazilian(national: string): NormalisedPhone {
  const ddd = Number(national.slice(0, 2));
  if (!DDDS.has(ddd)) return { ok: false, problem: 'area_code' };
  const subscriber = national.slice(2);
  if (subscriber.length === 9 && subscriber.startsWith('9')) return { ok: true, e164: `55${national}` };
  if (subscriber.length === 8 && /^[2-5]/.test(subscriber)) return { ok: true, e164: `55${national}` };
  if (subscriber.length === 8 && /^[6-9]/.test(subscriber))
    return { ok: true, e164: `55${ddd}9${subscriber}` };
  return { ok: false, problem: subscriber.length === 8 || subscriber.length === 9 ? 'subscriber' : 'length' };
}

/**
 * A number in E.164 digits, or why it cannot be one. Without a "+", the number is Brazilian: the
 * trunk prefix 0 (and a carrier selection code after it, "0 21 11 …") is dropped. With "+" or the
 * international prefix 00, another country's number is kept as it is (E.164 allows 8 to 15 digits).
 */
export function normalisePhone(input: string): NormalisedPhone {
  const text = input.trim();
  if (!text) return { ok: false, problem: 'empty' };
  if (!/^\+?[0-9\s().-]+$/.test(text)) return { ok: false, problem: 'characters' };
  let digits = text.replace(/\D/g, '');
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (international) {
    if (digits.startsWith('55')) return brazilian(digits.slice(2));
    return digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0')
      ? { ok: true, e164: digits }
      : { ok: false, problem: 'length' };
  }
  if (digits.startsWith('0')) {
    const national = digits.slice(1);
    // 0 + carrier code (2 digits) + DDD + number, the long-distance dialling form.
    digits = national.length === 12 || national.length === 13 ? national.slice(2) : national;
  }
  if (digits.length === 10 || digits.length === 11) return brazilian(digits);
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55'))
    return brazilian(digits.slice(2));
  return { ok: false, problem: 'length' };
}
