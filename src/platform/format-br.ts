/**
 * pt-BR formatting, the one module (style.md): money, integers, CPF/CNPJ, CEP, phone numbers, and dates
 * and times in America/Sao_Paulo (times are stored in UTC and shown in São Paulo). Pure.
 */
import type { Cents } from './money.ts';

/** Where the stores' days begin and end. */
export const TIME_ZONE = 'America/Sao_Paulo';

const thousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');

/** 123456n → "1.234,56": thousands with dots, two decimals after a comma, never through a float. */
export function formatMoney(cents: Cents): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${thousands(String(abs / 100n))},${String(abs % 100n).padStart(2, '0')}`;
}

/** 1234 → "1.234". */
export const formatInteger = (n: number): string =>
  `${n < 0 ? '-' : ''}${thousands(String(Math.trunc(Math.abs(n))))}`;

/** CPF 000.000.000-00, CNPJ 00.000.000/0000-00 (alphanumeric too); anything else as it came. */
export function formatDocument(value: string): { kind: 'cpf' | 'cnpj' | 'other'; text: string } {
  const s = value.replace(/[.\-/\s]/g, '').toUpperCase();
  if (/^[0-9]{11}$/.test(s)) {
    return { kind: 'cpf', text: `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}` };
  }
  if (/^[0-9A-Z]{12}[0-9]{2}$/.test(s)) {
    return {
      kind: 'cnpj',
      text: `${s.slice(0, 2)}.${s.slice(2, 5)}.${s.slice(5, 8)}/${s.slice(8, 12)}-${s.slice(12)}`,
    };
  }
  return { kind: 'other', text: value.trim() };
}

/** A CPF formatted; anything else as it came. */
export function formatCpf(value: string): string {
  const document = formatDocument(value);
  return document.kind === 'cpf' ? document.text : value;
}

/** A CNPJ formatted; anything else as it came. */
export function formatCnpj(value: string): string {
  const document = formatDocument(value);
  return document.kind === 'cnpj' ? document.text : value;
}

/** CEP 00000-000 when it has its 8 digits. */
export function formatPostalCode(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 8 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : value.trim();
}

/** (11) 91234-5678 / (11) 1234-5678 from the digits; anything else as it came. */
export function formatPhone(phone: string | undefined): string {
  if (!phone) return '';
  const m = /^(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : phone;
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The São Paulo calendar day of an instant, as YYYY-MM-DD. */
export const saoPauloDay = (at: Date): string => dayFormat.format(at);

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** Minutes São Paulo is ahead of UTC at an instant (−180 today; asked, not assumed, in case DST returns). */
function offsetMinutes(at: Date): number {
  const name = offsetFormat.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The instant a São Paulo day (YYYY-MM-DD) begins. */
export function startOfDay(day: string): Date {
  const utcMidnight = new Date(`${day}T00:00:00Z`);
  return new Date(utcMidnight.getTime() - offsetMinutes(utcMidnight) * 60_000);
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const partsFormat = new Intl.DateTimeFormat('pt-BR', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsOf(at: Date): Record<string, string> {
  return Object.fromEntries(partsFormat.formatToParts(at).map((p) => [p.type, p.value]));
}

/** dd/mm/aaaa in São Paulo. */
export function formatDate(at: Date): string {
  const p = partsOf(at);
  return `${p.day}/${p.month}/${p.year}`;
}

/** hh:mm:ss in São Paulo. */
export function formatTime(at: Date): string {
  const p = partsOf(at);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** dd/mm/aaaa hh:mm in São Paulo. */
export function formatDateTime(at: Date): string {
  const p = partsOf(at);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
