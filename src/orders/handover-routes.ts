import type { Static } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { handover } from './handover.ts';
import { callerOf } from './lifecycle.ts';
import { HandoverBody, IdParams, Order } from './payloads.ts';

export function registerHandoverRoutes(app: App, db: Db) {
  app.post(
    '/api/v1/orders/:id/handover',
    {
      config: { access: [...backOffice, 'pos'] },
      schema: {
        tags: ['orders'],
        summary: 'Hand an invoiced pickup order to the customer (→ delivered)',
        description:
          'Records who collected it (`name`, 2-100 characters; `document` optional: a CPF or CNPJ is checked, ' +
          'anything else is kept as an identity document such as the RG), when, and who handed it over (the ' +
          'user or the POS of the store); the order becomes `delivered` and the platform hears it. The pickup ' +
          'receipt (GET …/pickup-receipt.pdf) then shows the pickup. 409 ORDER.NOT_INVOICED with `nextStep` ' +
          'before the NFC-e is authorised; 409 ORDER.ALREADY_HANDED_OVER the second time; 409 ORDER.NOT_PICKUP ' +
          'for a ship order; 422 ORDER.HANDOVER_INVALID naming the field; 404 for an order you do not see.',
        params: IdParams,
        body: HandoverBody,
        response: { 200: Order },
      },
    },
    async (req) =>
      unwrap(
        await handover(
          db,
          callerOf(principalOf(req)),
          req.params.id,
          req.body as Static<typeof HandoverBody>,
        ),
      ),
  );
}
