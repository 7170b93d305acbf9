import type { FieldError } from '../platform/errors.ts';
import type { OrderStatus } from './domain.ts';
import { normaliseDocument } from './ingest-rules.ts';

/**
 * The handover of a pickup order (seeds 003, "Comprovante de Entrega"), pure: who may collect it and what the
 * store must be told when it cannot be handed over yet.
 */

export interface HandoverInput {
  name: string;
  document?: string | null;
}

export type PickupDocumentKind = 'cpf' | 'cnpj' | 'other';

export interface PickupPerson {
  name: string;
  document: string | null;
  documentKind: PickupDocumentKind | null;
}

/** An RG or another identity document as people write it: letters, digits and the usual punctuation. */
const OTHER_DOCUMENT = /^[0-9A-Za-z][0-9A-Za-z.\-/ ]{2,24}$/;

/**
 * The collector's name (2-100 characters) and, when given, their document: what looks like a CPF (11 digits) or a
 * CNPJ (14 characters ending in 2 digits) must have valid check digits; anything else is kept as an RG-like
 * document of 3-25 characters.
 */
export function validateHandover(input: HandoverInput): { person?: PickupPerson; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length < 2 || name.length > 100)
    errors.push({
      path: '/name',
      code: 'ORDER.PICKUP_NAME_LENGTH',
      params: { min: 2, max: 100 },
      message: 'must have between 2 and 100 characters',
    });
  const typed = input.document?.trim() ?? '';
  let document: string | null = null;
  let documentKind: PickupDocumentKind | null = null;
  if (typed !== '') {
    const stripped = typed.replace(/[.\-/\s]/g, '').toUpperCase();
    const looksLike = /^[0-9]{11}$/.test(stripped)
      ? 'cpf'
      : /^[0-9A-Z]{12}[0-9]{2}$/.test(stripped)
        ? 'cnpj'
        : null;
    if (looksLike) {
      const valid = normaliseDocument(stripped);
      if (valid) {
        document = valid.value;
        documentKind = valid.kind;
      } else
        errors.push({
          path: '/document',
          code: looksLike === 'cpf' ? 'ORDER.PICKUP_CPF_INVALID' : 'ORDER.PICKUP_CNPJ_INVALID',
          message: `looks like a ${looksLike.toUpperCase()} but its check digits are wrong`,
        });
    } else if (OTHER_DOCUMENT.test(typed)) {
      document = typed.toUpperCase();
      documentKind = 'other';
    } else
      errors.push({
        path: '/document',
        code: 'ORDER.PICKUP_DOCUMENT_FORMAT',
        message: 'must be a CPF, a CNPJ or an identity document (3-25 letters, digits, ".", "-", "/")',
      });
  }
  return errors.length ? { errors } : { person: { name, document, documentKind }, errors };
}

/** What the store does before it may hand over an order in this status (the 409's next step). */
export function handoverNextStep(status: OrderStatus): string {
  switch (status) {
    case 'open':
    case 'awaiting_stock':
      return 'accept the order, pick and check it first';
    case 'accepted':
    case 'picking':
      return 'finish picking and the conference, which makes it ready for pickup';
    case 'ready_for_pickup':
      return 'the POS rescues it and issues its NFC-e (POST /api/v1/pos/orders/{number}/rescue, then …/finish)';
    case 'invoicing':
      return 'wait for the NFC-e authorisation (the POS finishes the sale)';
    case 'cancelled':
      return 'nothing: the order was cancelled';
    default:
      return 'nothing: the order has left the store';
  }
}
