import type { FieldError } from '../../platform/errors.ts';
import { CORREIOS_BASE_URL, type CorreiosCredentials, type CorreiosSettings } from './correios/client.ts';
import {
  MELHOR_ENVIO_BASE_URL,
  type MelhorEnvioCredentials,
  type MelhorEnvioSettings,
} from './melhor-envio/client.ts';
import type { CarrierAdapter } from './port.ts';

/**
 * What a carrier account holds per adapter, checked field by field (pure). Settings are not secret and are
 * answered by the API; credentials are sealed and never answered.
 *
 * - correios: settings `baseUrl` (default https://api.correios.com.br; homologation
 *   https://apihom.correios.com.br), `postingCard` (cartão de postagem, 10 digits), `contract` (10 digits),
 *   `dr` (diretoria regional, 1–99), `services` (5-digit codes, default SEDEX 03220 and PAC 03298);
 *   credentials `user` and `accessCode` (the API access code generated in "Meu Correios").
 * - melhor_envio: settings `baseUrl` (default https://melhorenvio.com.br; sandbox
 *   https://sandbox.melhorenvio.com.br), `contactEmail` (sent in the User-Agent), `services` (service ids,
 *   default 1 PAC and 2 SEDEX); credentials `token` and `webhookSecret` (the application's secret).
 */
export type AccountSettings = CorreiosSettings | MelhorEnvioSettings;
export type AccountCredentials = CorreiosCredentials | MelhorEnvioCredentials;

export const secretFields = ['accessCode', 'token', 'webhookSecret'] as const;

type Checked<T> = { value: T; errors: FieldError[] };

const error = (
  path: string,
  code: string,
  message: string,
  params?: Record<string, unknown>,
): FieldError => ({
  path,
  code,
  message,
  ...(params ? { params } : {}),
});

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function url(value: unknown, fallback: string, path: string, errors: FieldError[]): string {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'string') {
    try {
      const u = new URL(value);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.search)
        return value.replace(/\/+$/, '');
    } catch {}
  }
  errors.push(error(path, 'CARRIER.URL_INVALID', 'An http(s) address without credentials or query'));
  return fallback;
}

function text(
  value: unknown,
  pattern: RegExp,
  path: string,
  code: string,
  message: string,
  errors: FieldError[],
): string {
  if (typeof value === 'string' && pattern.test(value.trim())) return value.trim();
  errors.push(error(path, code, message));
  return '';
}

function services(
  value: unknown,
  fallback: readonly string[],
  pattern: RegExp,
  path: string,
  errors: FieldError[],
): string[] {
  if (value === undefined || value === null) return [...fallback];
  if (Array.isArray(value) && value.length >= 1 && value.length <= 20) {
    const list = value.map((v) => String(v).trim());
    const bad = list.findIndex((v) => !pattern.test(v));
    if (bad < 0) return [...new Set(list)];
    errors.push(error(`${path}/${bad}`, 'CARRIER.SERVICE_INVALID', 'Not a service code of this carrier'));
    return [];
  }
  errors.push(error(path, 'CARRIER.SERVICES_INVALID', 'A list of 1 to 20 service codes'));
  return [];
}

export function checkSettings(adapter: CarrierAdapter, raw: unknown): Checked<AccountSettings> {
  const s = record(raw);
  const errors: FieldError[] = [];
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw)))
    errors.push(error('/settings', 'CARRIER.SETTINGS_INVALID', 'An object'));
  const known =
    adapter === 'correios'
      ? ['baseUrl', 'postingCard', 'contract', 'dr', 'services']
      : ['baseUrl', 'contactEmail', 'services'];
  for (const key of Object.keys(s))
    if (!known.includes(key))
      errors.push(
        error(`/settings/${key}`, 'CARRIER.SETTING_UNKNOWN', `Not a setting of ${adapter}`, { adapter }),
      );
  if (adapter === 'correios') {
    const dr = typeof s.dr === 'string' && /^\d+$/.test(s.dr) ? Number(s.dr) : s.dr;
    if (!(typeof dr === 'number' && Number.isInteger(dr) && dr >= 1 && dr <= 99))
      errors.push(error('/settings/dr', 'CARRIER.DR_INVALID', 'Diretoria regional: a number from 1 to 99'));
    const value: CorreiosSettings = {
      baseUrl: url(s.baseUrl, CORREIOS_BASE_URL, '/settings/baseUrl', errors),
      postingCard: text(
        s.postingCard,
        /^\d{10}$/,
        '/settings/postingCard',
        'CARRIER.POSTING_CARD_INVALID',
        'Cartão de postagem: 10 digits',
        errors,
      ),
      contract: text(
        s.contract,
        /^\d{10}$/,
        '/settings/contract',
        'CARRIER.CONTRACT_INVALID',
        'Contract: 10 digits',
        errors,
      ),
      dr: typeof dr === 'number' ? dr : 0,
      services: services(s.services, ['03220', '03298'], /^\d{5}$/, '/settings/services', errors),
    };
    return { value, errors };
  }
  const value: MelhorEnvioSettings = {
    baseUrl: url(s.baseUrl, MELHOR_ENVIO_BASE_URL, '/settings/baseUrl', errors),
    contactEmail: text(
      s.contactEmail,
      /^[^\s@()]+@[^\s@()]+\.[^\s@()]+$/,
      '/settings/contactEmail',
      'CARRIER.CONTACT_EMAIL_INVALID',
      'The technical contact e-mail Melhor Envio asks for',
      errors,
    ),
    services: services(s.services, ['1', '2'], /^\d{1,6}$/, '/settings/services', errors),
  };
  return { value, errors };
}

export function checkCredentials(adapter: CarrierAdapter, raw: unknown): Checked<AccountCredentials> {
  const c = record(raw);
  const errors: FieldError[] = [];
  const known = adapter === 'correios' ? ['user', 'accessCode'] : ['token', 'webhookSecret'];
  for (const key of Object.keys(c))
    if (!known.includes(key))
      errors.push(
        error(`/credentials/${key}`, 'CARRIER.CREDENTIAL_UNKNOWN', `Not a credential of ${adapter}`, {
          adapter,
        }),
      );
  const required = (key: string, max: number) => {
    const v = c[key];
    if (typeof v === 'string' && v.trim().length >= 1 && v.length <= max) return v.trim();
    errors.push(
      error(`/credentials/${key}`, 'CARRIER.CREDENTIAL_REQUIRED', `Required, 1 to ${max} characters`, {
        max,
      }),
    );
    return '';
  };
  if (adapter === 'correios')
    return { value: { user: required('user', 60), accessCode: required('accessCode', 200) }, errors };
  return { value: { token: required('token', 4000), webhookSecret: required('webhookSecret', 500) }, errors };
}
