/**
 * The network's omni payment method (seed 000 §2.2: a dedicated "Omni" payment method selected per business
 * unit, CD_FORMA_PAGTO_OMNI) and how the platform's payment methods map to the finance document types.
 */
import * as parameters from '../parameters/service.ts';
import type { Db } from '../platform/db/index.ts';
import type { DocumentType, PaymentFact } from './domain.ts';

export interface ReceivableSettings {
  /** CD_FORMA_PAGTO_OMNI in force at the company. */
  paymentMethodCode: string;
  /** The platform's method → the document type its receivable gets (identity where absent). */
  mapping: Partial<Record<PaymentFact['method'], DocumentType>>;
  /** IN_GERA_CRT_MKTPLACE_OMNI: a marketplace payment raises a credit card receivable. */
  marketplaceAsCard: boolean;
}

export async function receivableSettings(tx: Db, companyId: string): Promise<ReceivableSettings> {
  const values = await parameters.resolveMany(tx, companyId, [
    'CD_FORMA_PAGTO_OMNI',
    'IN_GERA_CRT_MKTPLACE_OMNI',
  ]);
  return {
    paymentMethodCode: values.CD_FORMA_PAGTO_OMNI.value ?? 'OMNI',
    mapping: {},
    marketplaceAsCard: values.IN_GERA_CRT_MKTPLACE_OMNI.value === true,
  };
}
