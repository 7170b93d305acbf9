import { Type } from '@sinclair/typebox';
import { type TrackingEvent, trackingStatuses } from '../delivery/service.ts';
import type { Db } from '../platform/db/index.ts';
import { fail } from '../platform/errors.ts';
import { backOffice, principalOf } from '../platform/http/access.ts';
import { problemFromFailure, sendProblem, unwrap } from '../platform/http/problems.ts';
import type { App } from '../platform/http/server.ts';
import { noteTicket } from '../platform/http/tickets.ts';
import { type CarrierWebhookFor, requestCarrierShipment } from './carrier-shipments.ts';
import { callerOf } from './lifecycle.ts';
import { IdParams, Order } from './payloads.ts';
import { applyTrackingEvents } from './tracking.ts';
import { getOrder } from './view-loader.ts';

/** A carrier's webhook body is small (Melhor Envio sends one order's event): anything larger is 413. */
const CARRIER_EVENT_LIMIT = 256 * 1024;

/**
 * The body as received, under a symbol key: the signature is computed over these exact bytes, and the
 * request guards that walk a parsed body's enumerable fields (platform/http/validation.ts) pass it by.
 */
const RAW = Symbol('rawBody');
type RawBody = { [RAW]: Buffer };

/** What recording an event needs (an adapter's parse is trusted for the shape, not for every value). */
const wellFormed = (e: TrackingEvent) =>
  typeof e.trackingCode === 'string' &&
  e.trackingCode.trim().length > 0 &&
  typeof e.eventId === 'string' &&
  e.eventId.length > 0 &&
  !`${e.trackingCode}${e.eventId}`.includes('\u0000') &&
  (trackingStatuses as readonly string[]).includes(e.status) &&
  e.at instanceof Date &&
  !Number.isNaN(e.at.getTime());

export interface TrackingRouteDeps {
  carrierWebhookFor: CarrierWebhookFor;
  wakeWorker?: () => void;
}

export function registerTrackingRoutes(app: App, db: Db, deps: TrackingRouteDeps) {
  // Its own scope: only this route reads every content type as raw bytes, the others keep the JSON parser.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: CARRIER_EVENT_LIMIT },
      (_req, body, done) => done(null, { [RAW]: body as Buffer } satisfies RawBody),
    );
    scope.post(
      '/api/v1/carrier-events/:carrier',
      {
        bodyLimit: CARRIER_EVENT_LIMIT,
        config: {
          access: 'public',
          // Recorded once a signature says whose it is (noteTicket below): nobody else's calls are filed.
          ticket: {
            system: (req) => (req.params as { carrier: string }).carrier,
            kind: 'carrier.event',
          },
        },
        schema: {
          tags: ['orders'],
          summary: 'A carrier’s tracking webhook (Melhor Envio): its events reach the orders',
          description:
            'Called by the carrier, not by users: the signature of the raw body is checked with the webhook ' +
            'secret of each carrier account of this carrier code. None verifies → 401 CARRIER.SIGNATURE_INVALID ' +
            'and nothing is recorded. Verified → the events are recorded once each (carrier, tracking code, ' +
            'event id) and applied to the orders of the account’s network holding the codes: posted, in transit ' +
            'or out for delivery → `in_transit`; delivered → `delivered` (through `in_transit`); never backwards; ' +
            'an unknown code is recorded and ignored. 200 `{received, applied}`. 400 CARRIER.EVENT_MALFORMED ' +
            'when a signed body is not the carrier’s documented event; 413 above 256 KB.',
          params: Type.Object({ carrier: Type.String({ pattern: '^[A-Z0-9_]{1,20}$' }) }),
          response: {
            200: Type.Object({
              received: Type.Integer({ description: 'Events in the body' }),
              applied: Type.Integer({ description: 'Events new to Omnihub that belong to an order' }),
            }),
          },
        },
      },
      async (req, reply) => {
        const { carrier } = req.params as { carrier: string };
        const raw = (req.body as RawBody | undefined)?.[RAW] ?? Buffer.alloc(0);
        const accounts = await deps.carrierWebhookFor(carrier);
        const account = accounts.find((a) => {
          try {
            return a.webhook.verify(req.headers, raw);
          } catch {
            return false;
          }
        });
        if (!account)
          return unwrap(
            fail(
              'unauthorized',
              'CARRIER.SIGNATURE_INVALID',
              `No ${carrier} account verifies this signature.`,
            ),
          );
        noteTicket(req, { networkId: account.networkId, request: raw.toString('utf8') });
        let events: ReturnType<typeof account.webhook.parse>;
        try {
          events = account.webhook.parse(raw);
          const wrong = events.find((e) => !wellFormed(e));
          if (wrong)
            throw new Error(`event ${JSON.stringify(wrong.eventId)} lacks a code, an id, a status or a time`);
        } catch (error) {
          // Signed but unreadable: a malformed request (400), not a well-formed one with wrong values (422).
          const { failure } = fail(
            'invalid',
            'CARRIER.EVENT_MALFORMED',
            `The body is not a ${carrier} tracking event: ${(error as Error).message}`,
          );
          return sendProblem(reply, {
            ...problemFromFailure(failure),
            status: 400,
            title: 'Bad Request',
          });
        }
        return applyTrackingEvents(db, {
          carrierCode: carrier,
          networkId: account.networkId,
          events,
          source: 'webhook',
        });
      },
    );
  });

  app.post(
    '/api/v1/orders/:id/carrier-shipment',
    {
      config: { access: backOffice },
      schema: {
        tags: ['orders'],
        summary: 'Gerar envio na transportadora: ask the order’s carrier for its shipment again',
        description:
          'For an invoiced ship order without a tracking code whose carrier has an account for the store: the ' +
          'shipment is queued for the carrier (as after the NF-e’s authorisation), its tracking and label follow. ' +
          '200 with the order; 409 ORDER.CARRIER_SHIPMENT_NOT_APPLICABLE otherwise; 404 for an order you do not see.',
        params: IdParams,
        response: { 200: Order },
      },
    },
    async (req) => {
      const caller = callerOf(principalOf(req));
      unwrap(await requestCarrierShipment(db, caller, req.params.id, deps.wakeWorker));
      return unwrap(await getOrder(db, caller, req.params.id));
    },
  );
}
