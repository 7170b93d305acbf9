/**
 * A network's WhatsApp account as the admin gives it, checked before anything is stored. Pure.
 */
import type { FieldError } from '../../platform/errors.ts';
import { normalisePhone } from './phone.ts';

/** The customer messages of issue 15 §7 that go by WhatsApp, by Omnihub's template code. */
export const whatsAppTemplateCodes = [
  'order_accepted',
  'order_ready_for_pickup',
  'order_invoiced',
  'order_in_transit',
  'order_delivered',
] as const;
export type WhatsAppTemplateCode = (typeof whatsAppTemplateCodes)[number];

/** Meta's sample template, approved on every account in en_US: what "Enviar teste" sends. */
export const TEST_TEMPLATE = { name: 'hello_world', language: 'en_US' } as const;

export interface AccountInput {
  phoneNumberId: string;
  businessAccountId: string;
  /** Absent: keep the stored one (required for a new account). */
  accessToken?: string;
  baseUrl?: string;
  apiVersion?: string;
  language?: string;
  templates?: Record<string, string>;
  active?: boolean;
}

/** Graph ids are decimal numbers (a phone number id, a WABA id). */
const GRAPH_ID = /^[0-9]{5,30}$/;
/** Graph's versions are "v" + major + "." + minor (v21.0). */
export const API_VERSION = /^v[0-9]{1,2}\.[0-9]$/;
/** The template languages Meta lists: "pt_BR", "en_US", "es", "en". */
export const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
/** A template's name as WhatsApp Manager accepts it: lowercase letters, digits and underscores. */
export const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Access tokens are opaque; a system user's is about 200 characters of letters and digits. */
const TOKEN = /^[A-Za-z0-9_\-.|]{20,1024}$/;

/** Why a base URL may not be called: only http(s), no credentials, query or fragment. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.search || url.hash) return 'must not carry a query or fragment';
  return null;
}

export function accountErrors(input: AccountInput, hasStoredToken: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const field = (path: string, code: string, message: string, params?: Record<string, unknown>) =>
    errors.push({ path, code, message, ...(params ? { params } : {}) });
  if (!GRAPH_ID.test(input.phoneNumberId))
    field('/phoneNumberId', 'WHATSAPP.GRAPH_ID_FORMAT', 'must be the number id Meta shows (digits)');
  if (!GRAPH_ID.test(input.businessAccountId))
    field('/businessAccountId', 'WHATSAPP.GRAPH_ID_FORMAT', 'must be the account id Meta shows (digits)');
  if (input.accessToken === undefined) {
    if (!hasStoredToken) field('/accessToken', 'WHATSAPP.TOKEN_REQUIRED', 'is required for a new account');
  } else if (!TOKEN.test(input.accessToken))
    field('/accessToken', 'WHATSAPP.TOKEN_FORMAT', 'must be the access token Meta issued, without spaces');
  if (input.baseUrl !== undefined) {
    const problem = baseUrlProblem(input.baseUrl);
    if (problem) field('/baseUrl', 'WHATSAPP.BASE_URL_INVALID', problem);
  }
  if (input.apiVersion !== undefined && !API_VERSION.test(input.apiVersion))
    field('/apiVersion', 'WHATSAPP.API_VERSION_FORMAT', 'must look like v21.0');
  if (input.language !== undefined && !LANGUAGE.test(input.language))
    field('/language', 'WHATSAPP.LANGUAGE_FORMAT', 'must be a language code such as pt_BR');
  for (const [code, name] of Object.entries(input.templates ?? {})) {
    const path = `/templates/${code.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (!(whatsAppTemplateCodes as readonly string[]).includes(code))
      field(path, 'WHATSAPP.TEMPLATE_UNKNOWN', 'is not a message Omnihub sends by WhatsApp', {
        known: whatsAppTemplateCodes,
      });
    else if (!TEMPLATE_NAME.test(name))
      field(path, 'WHATSAPP.TEMPLATE_NAME_FORMAT', 'must be lowercase letters, digits and underscores');
  }
  return errors;
}

/** Every code with the approved template's name: the map's, else the code itself. */
export function templateMap(stored: Readonly<Record<string, string>>): Record<WhatsAppTemplateCode, string> {
  return Object.fromEntries(whatsAppTemplateCodes.map((code) => [code, stored[code] ?? code])) as Record<
    WhatsAppTemplateCode,
    string
  >;
}

/** The map as stored: only the codes whose template is not named as the code. */
export function storedTemplates(templates: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(templates).filter(([code, name]) => code !== name));
}

/** The test's recipient in E.164 digits, or the field error. */
export function testRecipient(to: string): { ok: true; to: string } | { ok: false; error: FieldError } {
  const phone = normalisePhone(to);
  return phone.ok
    ? { ok: true, to: phone.e164 }
    : {
        ok: false,
        error: {
          path: '/to',
          code: 'WHATSAPP.PHONE_INVALID',
          params: { problem: phone.problem },
          message: 'is not a phone number WhatsApp can reach',
        },
      };
}
