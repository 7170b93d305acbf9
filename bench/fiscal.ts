/**
 * Issue 5's fiscal figures: what each step of an NF-e costs on this machine (build, sign, xmllint, the
 * simulator's checks, the DANFE), and invoices per second end to end through the API — 100 ship-from-store
 * orders of one store invoiced at once, each answered once SEFAZ (the simulator) authorised it.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildApp, jobHandlers } from '../src/app.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/demo/seed.ts';
import { createSefazClient, loadEndpointTable } from '../src/fiscal/authorizer/index.ts';
import { createSefazSimulator } from '../src/fiscal/authorizer/sefaz-simulator.ts';
import type { FiscalDocument } from '../src/fiscal/domain.ts';
import { shipFromStoreToCuritiba } from '../src/fiscal/fixtures.test-support.ts';
import { renderDanfe } from '../src/fiscal/printing/danfe.ts';
import { generateTestCertificate, loadPkcs12 } from '../src/fiscal/xml/certificate.ts';
import { buildNfeXml } from '../src/fiscal/xml/nfe-xml.ts';
import { signFiscalXml, verifySignature } from '../src/fiscal/xml/signature.ts';
import { validateXml } from '../src/fiscal/xml/xsd.ts';
import type { Database } from '../src/platform/db/index.ts';
import { startWorker } from '../src/platform/jobs/service.ts';
import { startSefazTestServer } from '../test/sefaz-server/index.ts';
import { call as httpCall } from './http.ts';

export const FISCAL_BENCH = 'fiscal';
const INVOICES = Number(process.env.BENCH_INVOICES ?? 100);
const STEPS = 50;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function timed(runs: number, work: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work(i);
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

/** The cost of each step of one NF-e, in this process (no database). */
export async function benchFiscalSteps(): Promise<void> {
  const { certificate } = generateTestCertificate({
    legalName: 'DEMO COMERCIO DE VESTUARIO PAULISTA LTDA',
    cnpj: '45997418000153',
    password: 'bench',
  });
  const docs = Array.from({ length: STEPS }, (_, i) => shipFromStoreToCuritiba({ number: 1000 + i }));
  const built = docs.map((d) => {
    const b = buildNfeXml(d);
    if (!b.ok) throw new Error(b.failure.detail);
    return b.value;
  });
  const signed = built.map((b) => signFiscalXml(b.xml, certificate, 'infNFe'));
  const simulator = createSefazSimulator({ clock: () => new Date() });
  const steps: [string, number[]][] = [
    ['build the XML (buildNfeXml)', await timed(STEPS, (i) => buildNfeXml(docs[i]!))],
    [
      'sign infNFe (xml-crypto, RSA-SHA1)',
      await timed(STEPS, (i) => signFiscalXml(built[i]!.xml, certificate, 'infNFe')),
    ],
    ['validate against the XSD (xmllint process)', await timed(STEPS, (i) => validateXml(signed[i]!, 'nfe'))],
    ['verify the signature (xml-crypto)', await timed(STEPS, (i) => verifySignature(signed[i]!))],
    [
      'simulator authorisation (schema + signature + rules)',
      await timed(STEPS, (i) => simulator.authorize(signed[i]!)),
    ],
    [
      'DANFE PDF (pdfkit + bwip-js)',
      await timed(10, (i) =>
        renderDanfe({
          document: docs[i]!,
          computed: built[i]!.computed,
          accessKey: built[i]!.accessKey,
          authorisation: null,
        }),
      ),
    ],
  ];
  steps.push(...(await sefazRoundTrips(docs)));
  console.log(`\nNF-e steps, ${STEPS} documents of 2 items each (ms per document)`);
  for (const [name, ms] of steps)
    console.log(
      `  ${name.padEnd(54)} p50 ${percentile(ms, 50).toFixed(1).padStart(6)}  p95 ${percentile(ms, 95).toFixed(1).padStart(6)}`,
    );
}

/**
 * The real SEFAZ client against the local mutual-TLS SEFAZ of the tests (test/sefaz-server): what one call
 * costs in TLS, SOAP and parsing on top of the checks the simulator also runs (the server runs them too:
 * schema, signature, rules). No machine here reaches SEFAZ, whose own answer takes far longer.
 */
async function sefazRoundTrips(docs: FiscalDocument[]): Promise<[string, number[]][]> {
  const server = await startSefazTestServer();
  try {
    const cnpj = docs[0]!.emitter.cnpj;
    const { pkcs12 } = server.issueClientCertificate({
      legalName: 'DEMO BENCH LTDA',
      cnpj,
      password: 'bench',
    });
    const opened = loadPkcs12(pkcs12, 'bench');
    if (!opened.ok) throw new Error(opened.failure.detail);
    const client = createSefazClient({
      certificate: opened.value,
      uf: 'SP',
      environment: '2',
      endpoints: loadEndpointTable({ OMNIHUB_SEFAZ_ENDPOINTS: server.endpointsFile }),
      trustedCa: [server.caPem],
    });
    const signed = docs.map((d) => {
      const b = buildNfeXml({ ...d, number: d.number + 5000, environment: '2' });
      if (!b.ok) throw new Error(b.failure.detail);
      return { xml: signFiscalXml(b.value.xml, opened.value, 'infNFe'), key: b.value.accessKey };
    });
    return [
      [
        'SEFAZ client: NFeStatusServico4 round trip (mutual TLS)',
        await timed(STEPS, () => client.status(55)),
      ],
      [
        'SEFAZ client: NFeAutorizacao4 round trip (local SEFAZ)',
        await timed(STEPS, (i) => client.authorize(signed[i]!.xml)),
      ],
      [
        'SEFAZ client: NFeConsultaProtocolo4 round trip',
        await timed(STEPS, (i) => client.consult(signed[i]!.key, signed[i]!.xml)),
      ],
    ];
  } finally {
    await server.close();
  }
}

/** 100 ship orders of store 11 in picking, invoiced at once through the API on `database`. */
export async function benchFiscal(label: string, database: Database): Promise<void> {
  const secretKey = randomBytes(32);
  await database.migrate();
  await seedDemo(database.db, { secretKey });
  const worker = startWorker(database.db, jobHandlers(database), {});
  const app = await buildApp(database, {
    logger: false,
    wakeWorker: worker.wake,
    secretKey,
    fiscalAnswerWithinMs: 120_000,
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const call = (method: string, p: string, auth: string, body?: unknown) =>
      httpCall(base, method, p, auth, body);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'loja11@demo.local', password: DEMO_PASSWORD }),
    });
    const manager = ((await login.json()) as { token: string }).token;
    await call('POST', '/api/v1/stock/adjustments', manager, {
      storeCode: '11',
      sku: 'CAL-002',
      quantity: INVOICES,
      reason: 'bench',
    });
    const ids: string[] = [];
    for (let i = 0; i < INVOICES; i++) {
      const order = await call('POST', '/api/v1/orders', 'demo-platform-key', {
        externalId: `bench-nfe-${i}`,
        storeCode: '11',
        deliveryType: 'ship',
        customer: {
          name: 'Maria Silva',
          document: '52998224725',
          email: 'maria@example.com',
          phone: '11999990000',
          address: {
            street: 'Rua Augusta',
            number: '1200',
            district: 'Consolação',
            city: 'São Paulo',
            cityCode: '3550308',
            state: 'SP',
            postalCode: '01304001',
          },
        },
        items: [{ sku: 'CAL-002', quantity: 1, unitPrice: '199.90' }],
        freight: '15.00',
        payments: [{ method: 'credit_card', amount: '214.90', installments: 1 }],
        placedAt: new Date().toISOString(),
      });
      if (order.status !== 201) throw new Error(`order: ${order.status} ${JSON.stringify(order.body)}`);
      await call('POST', `/api/v1/orders/${order.body.id}/accept`, manager);
      await call('POST', `/api/v1/orders/${order.body.id}/transitions`, manager, { to: 'picking' });
      // TP_CONF_ACEITE_PED 0 (the default): the items are counted before the NF-e.
      await call('POST', `/api/v1/orders/${order.body.id}/conference/scans`, manager, { sku: 'CAL-002' });
      await call('POST', `/api/v1/orders/${order.body.id}/conference/finish`, manager);
      ids.push(order.body.id);
    }
    const started = performance.now();
    const latencies = await Promise.all(
      ids.map(async (id) => {
        const t0 = performance.now();
        const res = await call('POST', `/api/v1/orders/${id}/invoice`, manager);
        if (res.status !== 200) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
        return performance.now() - t0;
      }),
    );
    const wall = performance.now() - started;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(9)} ${INVOICES} concurrent invoices of one store, each answered authorised: ${(wall / 1000).toFixed(1)} s, ${((INVOICES * 1000) / wall).toFixed(1)} NF-e/s; latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    );
  } finally {
    await app.close();
    await worker.stop();
  }
}
