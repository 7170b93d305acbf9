import type { Db } from '../../platform/db/index.ts';
import { ok, type Result } from '../../platform/errors.ts';
import type { UploadContext } from './context.ts';
import { type CustomerBody, customerFill, normaliseDocument } from './domain.ts';
import * as store from './store.ts';

/**
 * A customer registered at the counter joins the network's customers. Server wins: a customer the network
 * knows keeps what it knows; the upload only fills the fields it lacks (seed 000 §2, Cliente).
 */
export async function applyCustomer(
  tx: Db,
  ctx: UploadContext,
  body: CustomerBody,
): Promise<Result<Record<string, unknown>>> {
  // Validated before (customerErrors): a valid CPF or CNPJ.
  const document = normaliseDocument(body.document)!;
  const known = await store.findCustomer(tx, ctx.store.networkId, document);
  if (!known) {
    const fresh = customerFill({ name: '', email: null, phone: null, birthDate: null }, body);
    const id = await store.insertCustomer(tx, {
      networkId: ctx.store.networkId,
      document,
      originStoreId: ctx.store.id,
      name: fresh.name ?? body.name.trim(),
      email: fresh.email ?? null,
      phone: fresh.phone ?? null,
      birthDate: fresh.birthDate ?? null,
    });
    if (id) return ok({ customerId: id, created: true, filled: Object.keys(fresh) });
  }
  const existing = known ?? (await store.findCustomer(tx, ctx.store.networkId, document))!;
  const fill = customerFill(existing, body);
  if (Object.keys(fill).length) await store.fillCustomer(tx, existing.id, fill);
  return ok({ customerId: existing.id, created: false, filled: Object.keys(fill) });
}
