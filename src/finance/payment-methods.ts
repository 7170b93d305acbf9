/**
 * The network's omni payment method (seed 000 §2.2: a dedicated "Omni" payment method selected per business
 * unit, CD_FORMA_PAGTO_OMNI) and how the platform's payment methods map to the finance document types.
 * Configured per network (`finance_payment_methods`); the code in force at a company is the parameter's.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { type FieldError, fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { type DocumentType, documentTypeNames, type PaymentFact } from './domain.ts';
import { financePaymentMethods } from './schema.ts';

/** The payment methods a platform sends with an order (the orders' `payments[].method`). */
export const platformMethods = ['credit_card', 'debit_card', 'pix', 'invoice', 'marketplace'] as const;
export type PlatformMethod = PaymentFact['method'];

/** The code of the demo network's omni payment method (and CD_FORMA_PAGTO_OMNI's default). */
export const DEFAULT_PAYMENT_METHOD = 'OMNI';
const CODE = /^[A-Za-z0-9_-]{1,20}$/;

export type Mapping = Record<PlatformMethod, DocumentType>;
export const identityMapping = (): Mapping =>
  Object.fromEntries(platformMethods.map((m) => [m, m])) as Mapping;

export interface ReceivableSettings {
  /** CD_FORMA_PAGTO_OMNI in force at the company. */
  paymentMethodCode: string;
  /**
   * Whether the network has that payment method configured and active; when not, the mapping is the
   * identity (each platform method is its own document type) and the receivable records that it was so.
   */
  configured: boolean;
  /** The platform's method → the document type its receivable gets (identity where absent). */
  mapping: Partial<Record<PaymentFact['method'], DocumentType>>;
  /** IN_GERA_CRT_MKTPLACE_OMNI: a marketplace payment raises a credit card receivable. */
  marketplaceAsCard: boolean;
}

type Row = typeof financePaymentMethods.$inferSelect;

async function findMethod(db: Db, networkId: string, code: string): Promise<Row | undefined> {
  const [row] = await db
    .select()
    .from(financePaymentMethods)
    .where(and(eq(financePaymentMethods.networkId, networkId), eq(financePaymentMethods.code, code)));
  return row;
}

/** Keeps only known methods mapped to known types (a row written by hand cannot mislead the ledger). */
function cleanMapping(value: unknown): Partial<Mapping> {
  const out: Partial<Mapping> = {};
  if (!value || typeof value !== 'object') return out;
  for (const method of platformMethods) {
    const type = (value as Record<string, unknown>)[method];
    if (typeof type === 'string' && (documentTypeNames as string[]).includes(type))
      out[method] = type as DocumentType;
  }
  return out;
}

export async function receivableSettings(tx: Db, companyId: string): Promise<ReceivableSettings> {
  const values = await parameters.resolveMany(tx, companyId, [
    'CD_FORMA_PAGTO_OMNI',
    'IN_GERA_CRT_MKTPLACE_OMNI',
  ]);
  const code = values.CD_FORMA_PAGTO_OMNI.value ?? DEFAULT_PAYMENT_METHOD;
  const company = await network.getNodeById(tx, companyId);
  const method = company ? await findMethod(tx, company.networkId, code) : undefined;
  const configured = Boolean(method?.active);
  return {
    paymentMethodCode: code,
    configured,
    mapping: configured && method ? cleanMapping(method.mapping) : {},
    marketplaceAsCard: values.IN_GERA_CRT_MKTPLACE_OMNI.value === true,
  };
}

export interface PaymentMethodView {
  code: string;
  name: string;
  active: boolean;
  mapping: Mapping;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const toView = (r: Row): PaymentMethodView => ({
  code: r.code,
  name: r.name,
  active: r.active,
  mapping: { ...identityMapping(), ...cleanMapping(r.mapping) },
  version: r.version,
  updatedBy: r.updatedBy,
  updatedAt: r.updatedAt.toISOString(),
});

/** The network's payment methods, by code. */
export async function listPaymentMethods(db: Db, networkId: string): Promise<PaymentMethodView[]> {
  const found = await db
    .select()
    .from(financePaymentMethods)
    .where(eq(financePaymentMethods.networkId, networkId))
    .orderBy(asc(financePaymentMethods.code));
  return found.map(toView);
}

export interface PaymentMethodInput {
  name: string;
  active?: boolean;
  mapping: Record<string, string>;
  /** When sent, must be the current version (someone else's change is not overwritten). */
  version?: number;
}

function inputErrors(code: string, input: PaymentMethodInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!CODE.test(code))
    errors.push({
      path: '/code',
      code: 'FINANCE.PAYMENT_METHOD_CODE_INVALID',
      params: { pattern: CODE.source },
      message: 'must be 1 to 20 letters, digits, "_" or "-"',
    });
  if (!input.name.trim())
    errors.push({ path: '/name', code: 'FINANCE.PAYMENT_METHOD_NAME_REQUIRED', message: 'is required' });
  for (const method of platformMethods) {
    const type = input.mapping[method];
    if (type === undefined)
      errors.push({
        path: `/mapping/${method}`,
        code: 'FINANCE.PAYMENT_METHOD_UNMAPPED',
        params: { method },
        message: 'every platform payment method is mapped to a document type',
      });
    else if (!(documentTypeNames as string[]).includes(type))
      errors.push({
        path: `/mapping/${method}`,
        code: 'FINANCE.DOCUMENT_TYPE_UNKNOWN',
        params: { value: type, allowed: documentTypeNames },
        message: `must be one of ${documentTypeNames.join(', ')}`,
      });
  }
  for (const key of Object.keys(input.mapping))
    if (!(platformMethods as readonly string[]).includes(key))
      errors.push({
        path: `/mapping/${key}`,
        code: 'FINANCE.PLATFORM_METHOD_UNKNOWN',
        params: { value: key, allowed: platformMethods },
        message: `is not a platform payment method (${platformMethods.join(', ')})`,
      });
  return errors;
}

const snapshot = (r: Row) => ({ name: r.name, active: r.active, mapping: toView(r).mapping });
const target = (r: Row) => ({ type: 'finance_payment_method', id: r.code, label: r.name });

async function auditScope(db: Db, editor: Principal) {
  const node = await network.getNodeById(db, editor.nodeId);
  if (!node) throw new Error(`the editor's node ${editor.nodeId} is gone`);
  return audit.scopeOf(node);
}

/** Creates or replaces a payment method of the editor's network (admins). */
export async function savePaymentMethod(
  db: Db,
  editor: Principal,
  code: string,
  input: PaymentMethodInput,
): Promise<Result<PaymentMethodView & { created: boolean }>> {
  const errors = inputErrors(code, input);
  if (errors.length)
    return fail('invalid', 'FINANCE.PAYMENT_METHOD_INVALID', 'The payment method is not valid.', { errors });
  const mapping = Object.fromEntries(platformMethods.map((m) => [m, input.mapping[m]!]));
  const who = `${editor.kind}:${editor.id}`;
  return transaction(db, async (tx) => {
    const before = await findMethod(tx, editor.networkId, code);
    if (input.version !== undefined && input.version !== (before?.version ?? 0))
      return fail(
        'conflict',
        'FINANCE.PAYMENT_METHOD_STALE',
        `The payment method ${code} changed since you read it (version ${before?.version ?? 'none'}).`,
        { data: { version: before?.version ?? null } },
      );
    let after: Row;
    if (before) {
      const [row] = await tx
        .update(financePaymentMethods)
        .set({
          name: input.name.trim(),
          active: input.active ?? before.active,
          mapping,
          version: before.version + 1,
          updatedBy: who,
          updatedAt: new Date(),
        })
        .where(eq(financePaymentMethods.id, before.id))
        .returning();
      after = row!;
    } else {
      const [row] = await tx
        .insert(financePaymentMethods)
        .values({
          id: randomUUID(),
          networkId: editor.networkId,
          code,
          name: input.name.trim(),
          active: input.active ?? true,
          mapping,
          updatedBy: who,
        })
        .returning();
      after = row!;
    }
    const was = before ? snapshot(before) : null;
    const now = snapshot(after);
    if (JSON.stringify(was) !== JSON.stringify(now))
      await audit.record(tx, editor, await auditScope(tx, editor), {
        action: before ? 'finance_payment_method.updated' : 'finance_payment_method.created',
        target: target(after),
        before: was,
        after: now,
      });
    return ok({ ...toView(after), created: !before });
  });
}

/** The demo network's omni payment method: OMNI, each platform method its own document type. */
export async function seedPaymentMethods(db: Db, networkId: string): Promise<void> {
  await db
    .insert(financePaymentMethods)
    .values({
      id: randomUUID(),
      networkId,
      code: DEFAULT_PAYMENT_METHOD,
      name: 'Omni',
      active: true,
      mapping: identityMapping(),
      updatedBy: 'system:seed',
    })
    .onConflictDoNothing();
}
