import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '../../../test/fiscal-tools.ts';
import { databaseKinds, openTestDatabase } from '../../../test/harness.ts';
import type { Database } from '../../platform/db/index.ts';
import type { FiscalDocument } from '../domain.ts';
import { shipFromStoreToCuritiba, store11Emitter } from '../fixtures.test-support.ts';
import { type A1Certificate, generateTestCertificate } from '../xml/certificate.ts';
import { buildCancellationEvent, buildCorrectionEvent } from '../xml/event-xml.ts';
import { buildNfeXml } from '../xml/nfe-xml.ts';
import { signFiscalXml, signInfNFe } from '../xml/signature.ts';
import { validateXml } from '../xml/xsd.ts';
import type { AuthorizationResult } from './port.ts';
import { createSefazSimulator } from './sefaz-simulator.ts';
import { createDatabaseSimulatorStore } from './simulator-store.ts';

const validate: typeof validateXml = (xml, schema) => {
  requireTool('xmllint');
  return validateXml(xml, schema);
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const issuedAt = shipFromStoreToCuritiba().issuedAt;

let store11: A1Certificate;

beforeAll(() => {
  ({ certificate: store11 } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: store11Emitter.cnpj,
    password: 'senha-da-loja-11',
  }));
});

function signedNfe(overrides: Partial<FiscalDocument> = {}) {
  const built = buildNfeXml(shipFromStoreToCuritiba(overrides));
  if (!built.ok) throw new Error(built.failure.detail);
  return { xml: signInfNFe(built.value.xml, store11), accessKey: built.value.accessKey };
}

function cancellation(accessKey: string, protocol: string, at: Date) {
  const event = buildCancellationEvent({
    accessKey,
    protocol,
    justification: 'Pedido cancelado pelo cliente antes do envio',
    at,
    cnpj: store11Emitter.cnpj,
    environment: '2',
    batchId: '1',
  });
  if (!event.ok) throw new Error(event.failure.detail);
  return signFiscalXml(event.value, store11, 'infEvento');
}

function authorized(result: AuthorizationResult) {
  if (result.outcome !== 'authorized') throw new Error(`rejected ${result.status} ${result.reason}`);
  return result;
}

describe.each(databaseKinds())('SEFAZ simulator remembering in the %s database', (kind) => {
  let database: Database;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  /** A simulator process started at `now`: nothing survives between two but the database. */
  const start = (now: Date) =>
    createSefazSimulator({ clock: () => now, validate, store: createDatabaseSimulatorStore(database.db) });

  it('after a restart refuses the resend with 204, consults it, and refuses a repeated cancellation with 573', async () => {
    const authorizedAt = new Date(issuedAt.getTime() + MINUTE);
    const nfe = signedNfe();
    const first = authorized(await start(authorizedAt).authorize(nfe.xml));

    const restarted = start(new Date(authorizedAt.getTime() + HOUR));
    expect(await restarted.authorize(nfe.xml)).toMatchObject({
      status: 204,
      reason: `Rejeição: Duplicidade de NF-e [nProt:${first.protocol}]`,
    });
    expect(await restarted.consult(nfe.accessKey)).toEqual(first);
    expect(await restarted.consult(signedNfe({ number: 2001 }).accessKey)).toMatchObject({ status: 217 });

    const cancelledAt = new Date(authorizedAt.getTime() + 2 * HOUR);
    const registered = await start(cancelledAt).registerEvent(
      cancellation(nfe.accessKey, first.protocol, cancelledAt),
    );
    if (registered.outcome !== 'registered') throw new Error(`rejected ${registered.status}`);
    expect(registered).toMatchObject({ status: 135, accessKey: nfe.accessKey });

    const third = start(new Date(cancelledAt.getTime() + MINUTE));
    expect(await third.registerEvent(cancellation(nfe.accessKey, first.protocol, cancelledAt))).toMatchObject(
      {
        status: 573,
        reason: 'Rejeição: Duplicidade de Evento',
      },
    );
    expect(await third.consult(nfe.accessKey)).toEqual({
      ...first,
      cancelledProtocol: registered.protocol,
      events: [{ type: '110111', sequence: 1, protocol: registered.protocol, registeredAt: cancelledAt }],
    });
    expect(registered.protocol).not.toBe(first.protocol);
  });

  it('remembers correction letters across a restart: 573 for a repeated one, each read back by consulting', async () => {
    const at = new Date(issuedAt.getTime() + MINUTE);
    const nfe = signedNfe({ number: 5001 });
    authorized(await start(at).authorize(nfe.xml));
    const letter = (sequence: number) => {
      const event = buildCorrectionEvent({
        accessKey: nfe.accessKey,
        text: `Correção número ${sequence} do endereço de entrega`,
        sequence,
        at,
        cnpj: store11Emitter.cnpj,
        environment: '2',
      });
      if (!event.ok) throw new Error(event.failure.detail);
      return signFiscalXml(event.value, store11, 'infEvento');
    };
    const registered = await start(at).registerEvent(letter(1));
    if (registered.outcome !== 'registered') throw new Error(`rejected ${registered.status}`);
    const restarted = start(new Date(at.getTime() + MINUTE));
    expect((await restarted.registerEvent(letter(1))).status).toBe(573);
    const known = await restarted.consult(nfe.accessKey);
    expect(known.outcome === 'authorized' && known.events).toEqual([
      {
        type: '110110',
        sequence: 1,
        protocol: registered.protocol,
        registeredAt: at,
        procEventoXml: registered.procEventoXml,
      },
    ]);
    expect((await restarted.registerEvent(letter(2))).status).toBe(135);
  });

  it('refuses the same number under another key with 539 after a restart', async () => {
    const at = new Date(issuedAt.getTime() + MINUTE);
    const first = authorized(await start(at).authorize(signedNfe({ number: 3001 }).xml));
    const other = signedNfe({ number: 3001, numericCode: '61830297' });
    expect(await start(at).authorize(other.xml)).toMatchObject({
      status: 539,
      reason: expect.stringContaining(`[nProt:${first.protocol}]`),
    });
  });

  it('gives every protocol a new sequence, across simulators sharing the database', async () => {
    const at = new Date(issuedAt.getTime() + MINUTE);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => start(at).authorize(signedNfe({ number: 4001 + i }).xml)),
    );
    const protocols = results.map((r) => authorized(r).protocol);
    expect(new Set(protocols).size).toBe(protocols.length);
    for (const p of protocols) expect(p).toMatch(/^135\d{12}$/);
  });
});
