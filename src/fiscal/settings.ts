/**
 * A store's fiscal settings: tax regime, SEFAZ environment, A1 certificate and NFC-e CSC. The certificate
 * (PKCS#12), its password and the CSC are sealed under the installation's secret key before they are
 * stored, and opened only to sign; answers never carry them.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import { eq } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import { type Actor, admins } from '../platform/http/access.ts';
import { isUf, type Uf } from '../platform/uf.ts';
import type { TaxRegime } from './domain.ts';
import { fiscalSettings } from './schema.ts';
import {
  type A1Certificate,
  certificateCnpj,
  generateTestCertificate,
  loadPkcs12,
  openSecret,
  sealSecret,
} from './xml/index.ts';

export type FiscalSettingsRow = typeof fiscalSettings.$inferSelect;

/** Who authorises a store's documents: the built-in simulator (the demo's, no fiscal value) or SEFAZ. */
export const AUTHORIZERS = ['simulator', 'sefaz'] as const;
export type AuthorizerChoice = (typeof AUTHORIZERS)[number];

export interface FiscalSettingsInput {
  environment?: '1' | '2';
  /** Absent: keep the current choice (`simulator` for a new row). */
  authorizer?: AuthorizerChoice;
  taxRegime: TaxRegime;
  icmsRateIntrastate?: string | null;
  icmsRateInterstate?: string | null;
  /** A new certificate: the PKCS#12 file in base64 and its password. Absent: keep the current one. */
  certificate?: { pkcs12: string; password: string };
  /** The NFC-e CSC (id and token); null removes it, absent keeps it. */
  csc?: { id: string; token: string } | null;
}

export interface FiscalSettingsView {
  storeCode: string;
  configured: boolean;
  environment: '1' | '2';
  authorizer: AuthorizerChoice;
  taxRegime: TaxRegime | null;
  icmsRateIntrastate: string | null;
  icmsRateInterstate: string | null;
  certificate: { subject: string; notAfter: string } | null;
  csc: { id: string } | null;
  updatedAt: string | null;
}

/** What signing and the NFC-e QR code need, opened. */
export interface SigningMaterial {
  environment: '1' | '2';
  taxRegime: TaxRegime;
  icmsRateIntrastate: string | null;
  icmsRateInterstate: string | null;
  certificate: A1Certificate;
  csc: { id: string; token: string } | null;
}

/** An admin changing a store's fiscal settings; the audit log names it. */
export type SettingsEditor = network.Viewer & { id: string; actor: Actor } & audit.Who;

/**
 * What the audit log keeps of the settings: the certificate by its subject and validity, never its bytes.
 * The password and the CSC token go in sealed (a new upload seals anew) only so the log can mask them and
 * still tell that they were replaced; audit.record never stores a secret field's value.
 */
function auditSnapshot(row: FiscalSettingsRow | undefined) {
  if (!row) return null;
  return {
    environment: row.environment,
    authorizer: row.authorizer,
    taxRegime: row.taxRegime,
    icmsRateIntrastate: row.icmsRateIntrastate,
    icmsRateInterstate: row.icmsRateInterstate,
    certificateSubject: row.certificateSubject,
    certificateValidUntil: row.certificateNotAfter?.toISOString() ?? null,
    certificatePassword: row.certificatePassword,
    cscId: row.cscId,
    cscToken: row.csc,
  };
}

const RATE = /^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$/;
const CSC_TOKEN = /^[0-9A-Za-z]{16,36}$/;
const CSC_ID = /^[0-9]{1,6}$/;

function view(storeCode: string, row: FiscalSettingsRow | undefined): FiscalSettingsView {
  return {
    storeCode,
    configured: row !== undefined,
    environment: (row?.environment as '1' | '2' | undefined) ?? '2',
    authorizer: (row?.authorizer as AuthorizerChoice | undefined) ?? 'simulator',
    taxRegime: (row?.taxRegime as TaxRegime | undefined) ?? null,
    icmsRateIntrastate: row?.icmsRateIntrastate ?? null,
    icmsRateInterstate: row?.icmsRateInterstate ?? null,
    certificate:
      row?.certificateSubject && row.certificateNotAfter
        ? { subject: row.certificateSubject, notAfter: row.certificateNotAfter.toISOString() }
        : null,
    csc: row?.cscId ? { id: row.cscId } : null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** The store a settings request names, visible to the viewer; a central or the network is refused. */
export async function storeNode(
  db: Db,
  viewer: network.Viewer,
  code: string,
): Promise<Result<network.NetworkNode>> {
  const node = await network.getNode(db, viewer, code);
  if (!node.ok) return node;
  if (node.value.kind !== 'store')
    return fail(
      'invalid',
      'FISCAL.NOT_A_STORE',
      `${code} is not a store: only stores issue fiscal documents.`,
    );
  return node;
}

export async function settingsRow(db: Db, storeId: string): Promise<FiscalSettingsRow | undefined> {
  const [row] = await db.select().from(fiscalSettings).where(eq(fiscalSettings.storeId, storeId));
  return row;
}

export async function getSettings(
  db: Db,
  viewer: network.Viewer,
  code: string,
): Promise<Result<FiscalSettingsView>> {
  const node = await storeNode(db, viewer, code);
  if (!node.ok) return node;
  return ok(view(code, await settingsRow(db, node.value.id)));
}

/** Checks the certificate against the store: opens with its password, belongs to the CNPJ, still valid. */
export function checkCertificate(
  input: { pkcs12: string; password: string },
  store: { cnpj: string | null },
  now: Date,
): Result<{ file: Buffer; certificate: A1Certificate }> {
  const file = Buffer.from(input.pkcs12, 'base64');
  if (file.length === 0 || file.toString('base64') !== input.pkcs12.replace(/\s/g, ''))
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_UNREADABLE',
      'The certificate must be a PKCS#12 file in base64.',
      {
        errors: [
          { path: '/certificate/pkcs12', code: 'FISCAL.CERTIFICATE_UNREADABLE', message: 'is not base64' },
        ],
      },
    );
  const opened = loadPkcs12(file, input.password);
  if (!opened.ok) {
    const path =
      opened.failure.code === 'FISCAL.CERTIFICATE_PASSWORD' ? '/certificate/password' : '/certificate/pkcs12';
    return fail('invalid', opened.failure.code, opened.failure.detail, {
      errors: [{ path, code: opened.failure.code, message: opened.failure.detail }],
    });
  }
  const holder = certificateCnpj(opened.value.subject);
  // SEFAZ accepts the head office's certificate for a branch: the CNPJ root (8 characters) must match.
  if (!holder || !store.cnpj || holder.slice(0, 8) !== store.cnpj.slice(0, 8))
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_CNPJ_MISMATCH',
      `The certificate belongs to ${holder ?? 'no CNPJ'}, not to the store's company (${store.cnpj}).`,
      {
        errors: [
          {
            path: '/certificate/pkcs12',
            code: 'FISCAL.CERTIFICATE_CNPJ_MISMATCH',
            message: 'belongs to another company',
          },
        ],
      },
    );
  if (opened.value.notAfter.getTime() <= now.getTime())
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_EXPIRED',
      `The certificate expired on ${opened.value.notAfter.toISOString().slice(0, 10)}.`,
      {
        errors: [{ path: '/certificate/pkcs12', code: 'FISCAL.CERTIFICATE_EXPIRED', message: 'has expired' }],
      },
    );
  return ok({ file, certificate: opened.value });
}

function inputErrors(input: FiscalSettingsInput): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['icmsRateIntrastate', 'icmsRateInterstate'] as const) {
    const rate = input[field];
    if (rate != null && !RATE.test(rate))
      errors.push({
        path: `/${field}`,
        code: 'FISCAL.RATE_FORMAT',
        message: 'must be a percentage from 0 to 100 with up to 2 decimals',
      });
    if (input.taxRegime === 3 && rate == null)
      errors.push({
        path: `/${field}`,
        code: 'FISCAL.RATE_REQUIRED',
        params: { taxRegime: 3 },
        message: 'is required under the regime normal (taxRegime 3)',
      });
  }
  if (input.csc) {
    if (!CSC_ID.test(input.csc.id))
      errors.push({ path: '/csc/id', code: 'FISCAL.CSC_ID_FORMAT', message: 'must be 1 to 6 digits' });
    if (!CSC_TOKEN.test(input.csc.token))
      errors.push({
        path: '/csc/token',
        code: 'FISCAL.CSC_TOKEN_FORMAT',
        message: 'must be 16 to 36 letters and digits',
      });
  }
  return errors;
}

/** The store's state, as its registration gives it: SEFAZ is the state's (or the one it delegates to). */
export function storeUf(store: { address: { state: string } | null }): Uf | undefined {
  const state = store.address?.state.toUpperCase();
  return state && isUf(state) ? state : undefined;
}

/** Whether a certificate may sign for SEFAZ at `now`: notBefore ≤ now < notAfter. */
function validityProblem(certificate: A1Certificate, now: Date): 'expired' | 'not_yet_valid' | undefined {
  if (certificate.notAfter.getTime() <= now.getTime()) return 'expired';
  const notBefore = new Date(new X509Certificate(certificate.certificatePem).validFrom);
  return notBefore.getTime() > now.getTime() ? 'not_yet_valid' : undefined;
}

/**
 * What keeps a store from choosing SEFAZ: a certificate that opens and is valid now (the one uploaded in
 * the same request, else the stored one) and the state (UF) its authoriser is chosen by.
 */
function sefazRefusals(
  store: network.NetworkNode,
  uploaded: A1Certificate | undefined,
  current: FiscalSettingsRow | undefined,
  secretKey: Buffer,
  now: Date,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!storeUf(store))
    errors.push({
      path: '/authorizer',
      code: 'FISCAL.STORE_STATE_UNKNOWN',
      message: 'needs the store’s state (UF) in its registration',
    });
  let certificate = uploaded;
  if (!certificate && current?.certificate && current.certificatePassword) {
    const opened = openCertificate(secretKey, current.certificate, current.certificatePassword);
    if (!opened.ok) {
      errors.push({
        path: '/certificate',
        code: 'FISCAL.CERTIFICATE_UNREADABLE',
        message: 'the stored certificate does not open: upload it again',
      });
      return errors;
    }
    certificate = opened.value;
  }
  if (!certificate) {
    errors.push({
      path: '/certificate',
      code: 'FISCAL.CERTIFICATE_MISSING',
      message: 'SEFAZ needs the store’s A1 certificate',
    });
    return errors;
  }
  const problem = validityProblem(certificate, now);
  if (problem === 'expired')
    errors.push({
      path: '/certificate',
      code: 'FISCAL.CERTIFICATE_EXPIRED',
      params: { notAfter: certificate.notAfter.toISOString() },
      message: 'has expired',
    });
  if (problem === 'not_yet_valid')
    errors.push({
      path: '/certificate',
      code: 'FISCAL.CERTIFICATE_NOT_YET_VALID',
      message: 'is not valid yet',
    });
  return errors;
}

/** Sets a store's fiscal settings (admins at or above the store). */
export async function putSettings(
  db: Db,
  editor: SettingsEditor,
  code: string,
  input: FiscalSettingsInput,
  secretKey: Buffer,
  now = new Date(),
): Promise<Result<FiscalSettingsView>> {
  if (!admins.includes(editor.actor))
    return fail('forbidden', 'FISCAL.NOT_ADMIN', 'Only network and central admins change fiscal settings.');
  const node = await storeNode(db, editor, code);
  if (!node.ok) return node;
  const errors = inputErrors(input);
  if (errors.length)
    return fail('invalid', 'FISCAL.SETTINGS_INVALID', 'The fiscal settings are not valid.', { errors });
  const current = await settingsRow(db, node.value.id);
  let certificate: Partial<FiscalSettingsRow> = {};
  let uploaded: A1Certificate | undefined;
  if (input.certificate) {
    const checked = checkCertificate(input.certificate, node.value, now);
    if (!checked.ok) return checked;
    uploaded = checked.value.certificate;
    certificate = {
      certificate: sealSecret(secretKey, checked.value.file),
      certificatePassword: sealSecret(secretKey, input.certificate.password),
      certificateSubject: checked.value.certificate.subject,
      certificateNotAfter: checked.value.certificate.notAfter,
    };
  }
  if (input.authorizer === 'sefaz') {
    const refusals = sefazRefusals(node.value, uploaded, current, secretKey, now);
    if (refusals.length)
      return fail(
        'invalid',
        'FISCAL.SEFAZ_NOT_READY',
        'SEFAZ authorises only with a valid A1 certificate of the store and the store’s state (UF) known.',
        { errors: refusals },
      );
  }
  const csc =
    input.csc === undefined
      ? {}
      : input.csc === null
        ? { cscId: null, csc: null }
        : { cscId: input.csc.id, csc: sealSecret(secretKey, input.csc.token) };
  const values = {
    environment: input.environment ?? (current?.environment as '1' | '2' | undefined) ?? '2',
    authorizer: input.authorizer ?? (current?.authorizer as AuthorizerChoice | undefined) ?? 'simulator',
    taxRegime: input.taxRegime,
    icmsRateIntrastate: input.taxRegime === 3 ? (input.icmsRateIntrastate ?? null) : null,
    icmsRateInterstate: input.taxRegime === 3 ? (input.icmsRateInterstate ?? null) : null,
    ...certificate,
    ...csc,
    updatedBy: editor.id,
    updatedAt: now,
  };
  return transaction(db, async (tx) => {
    const previous = await settingsRow(tx, node.value.id);
    const [row] = await tx
      .insert(fiscalSettings)
      .values({ storeId: node.value.id, ...values })
      .onConflictDoUpdate({ target: fiscalSettings.storeId, set: values })
      .returning();
    const before = auditSnapshot(previous);
    const after = auditSnapshot(row);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await audit.record(tx, editor, audit.scopeOf(node.value), {
        action: 'fiscal_settings.changed',
        target: {
          type: 'fiscal_settings',
          id: node.value.id,
          label: `${node.value.code} ${node.value.name}`,
        },
        before,
        after,
      });
    }
    return ok(view(code, row));
  });
}

/**
 * Opened certificates by their sealed blob (a new upload seals anew, so a replaced certificate is never
 * served from here). Opening a PKCS#12 is pure-JS 3DES and costs tens of milliseconds: once per process.
 */
const openedCertificates = new Map<string, A1Certificate>();

function openCertificate(
  secretKey: Buffer,
  sealedFile: string,
  sealedPassword: string,
): Result<A1Certificate> {
  const cached = openedCertificates.get(sealedFile);
  if (cached) return ok(cached);
  const file = openSecret(secretKey, sealedFile);
  if (!file.ok) return file;
  const password = openSecret(secretKey, sealedPassword);
  if (!password.ok) return password;
  const certificate = loadPkcs12(file.value, password.value.toString('utf8'));
  if (!certificate.ok) return certificate;
  if (openedCertificates.size >= 1000) openedCertificates.clear();
  openedCertificates.set(sealedFile, certificate.value);
  return certificate;
}

/** What chooses a store's authoriser, read by primary key on every call so a change is seen at once. */
export async function authorizerSettings(
  db: Db,
  storeId: string,
): Promise<{ authorizer: AuthorizerChoice; environment: '1' | '2'; updatedAt: Date } | undefined> {
  const [row] = await db
    .select({
      authorizer: fiscalSettings.authorizer,
      environment: fiscalSettings.environment,
      updatedAt: fiscalSettings.updatedAt,
    })
    .from(fiscalSettings)
    .where(eq(fiscalSettings.storeId, storeId));
  return (
    row && {
      authorizer: row.authorizer as AuthorizerChoice,
      environment: row.environment as '1' | '2',
      updatedAt: row.updatedAt,
    }
  );
}

/** The store's opened A1 certificate: the client certificate of SEFAZ's mutual TLS. */
export async function storeCertificate(
  db: Db,
  storeId: string,
  secretKey: Buffer,
): Promise<Result<A1Certificate>> {
  const row = await settingsRow(db, storeId);
  if (!row?.certificate || !row.certificatePassword)
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_MISSING',
      "The store has no A1 certificate: an admin uploads it in the store's fiscal settings.",
    );
  return openCertificate(secretKey, row.certificate, row.certificatePassword);
}

/** The opened certificate and CSC of a store, for signing; a clear failure when they are missing. */
export async function signingMaterial(
  db: Db,
  storeId: string,
  secretKey: Buffer,
): Promise<Result<SigningMaterial>> {
  const row = await settingsRow(db, storeId);
  if (!row?.certificate || !row.certificatePassword)
    return fail(
      'invalid',
      'FISCAL.CERTIFICATE_MISSING',
      "The store has no A1 certificate: an admin uploads it in the store's fiscal settings.",
    );
  const certificate = openCertificate(secretKey, row.certificate, row.certificatePassword);
  if (!certificate.ok) return certificate;
  let csc: SigningMaterial['csc'] = null;
  if (row.cscId && row.csc) {
    const token = openSecret(secretKey, row.csc);
    if (!token.ok) return token;
    csc = { id: row.cscId, token: token.value.toString('utf8') };
  }
  return ok({
    environment: row.environment as '1' | '2',
    taxRegime: row.taxRegime as TaxRegime,
    icmsRateIntrastate: row.icmsRateIntrastate,
    icmsRateInterstate: row.icmsRateInterstate,
    certificate: certificate.value,
    csc,
  });
}

/**
 * The demo's settings for a store: Simples Nacional, homologação, a self-signed test certificate in the
 * store's name (certificate.ts) and a random CSC. SEFAZ would refuse that certificate; the simulator
 * checks only that it signs and names the store's company.
 */
export async function seedDemoSettings(
  db: Db,
  store: { id: string; legalName: string; cnpj: string | null },
  secretKey: Buffer,
): Promise<void> {
  const password = randomBytes(12).toString('base64url');
  const { pkcs12, certificate } = generateTestCertificate({
    legalName: store.legalName,
    cnpj: store.cnpj ?? '',
    password,
  });
  const token = randomBytes(18).toString('hex').toUpperCase();
  await db.insert(fiscalSettings).values({
    storeId: store.id,
    environment: '2',
    taxRegime: 1,
    certificate: sealSecret(secretKey, pkcs12),
    certificatePassword: sealSecret(secretKey, password),
    certificateSubject: certificate.subject,
    certificateNotAfter: certificate.notAfter,
    cscId: '1',
    csc: sealSecret(secretKey, token),
    updatedBy: 'demo',
  });
}
