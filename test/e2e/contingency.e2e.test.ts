import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueConsumerReceipt } from '../../src/orders/invoicing.ts';
import { rows, sql } from '../../src/platform/db/sql.ts';
import { ADMIN, CPF, confer, createOrder, LOJA11, orderBody, PLATFORM, POS11 } from '../order-fixtures.ts';
import { TEST_SECRET_KEY } from '../secret-key.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/**
 * The NFC-e contingency in the back office: the admin switches the simulated SEFAZ off in the fiscal
 * panel, a sale at the till goes out in contingency, every screen shows the alarm (banner and badge) with
 * the deadline and the order's document says "Em contingência"; SEFAZ on again, the note is transmitted
 * and the alarm goes away.
 */
describe.skipIf(chromiumMissing)(
  'back office: NFC-e contingency alarm and the SEFAZ simulator switch',
  () => {
    let b: BrowserApp;
    beforeAll(async () => {
      b = await startBrowserApp();
    });
    afterAll(() => b?.close());

    /** A pickup order finished at the till (the POS's finish: its NFC-e issued, the outbox woken). */
    async function saleAtTheTill(): Promise<{ id: string; number: number }> {
      const created = await b.t.request('POST', '/api/v1/orders', {
        auth: PLATFORM,
        body: orderBody({ deliveryType: 'pickup' }),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const order = created.body as { id: string; number: number };
      expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
        200,
      );
      const move = async (to: string, auth: string) => {
        const moved = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
          auth,
          body: { to },
        });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      };
      await move('picking', LOJA11);
      await confer(b.t, order.id);
      await move('invoicing', POS11);
      const [node] = await rows<{ id: string; path: string; network_id: string }>(
        b.t.database.db,
        sql`select id, path, network_id from nodes where code = '11'`,
      );
      const issued = await issueConsumerReceipt(
        b.t.database.db,
        { secretKey: TEST_SECRET_KEY },
        {
          kind: 'client',
          id: 'pos-11',
          name: 'PDV loja 11',
          actor: 'pos',
          nodeId: node!.id,
          nodePath: node!.path,
          networkId: node!.network_id,
        },
        order.id,
        CPF,
      );
      expect(issued.ok, JSON.stringify(issued)).toBe(true);
      b.t.worker.wake();
      return order;
    }

    it('switch off → contingency alarm on every screen → switch on → transmitted, alarm gone', async () => {
      const admin = await b.signedIn(ADMIN);
      await admin.goto('/network/11');
      const panel = admin.getByRole('region', { name: 'Fiscal' });
      const sefaz = panel.getByRole('switch', { name: 'SEFAZ simulada disponível' });
      await sefaz.waitFor();
      expect(await sefaz.getAttribute('aria-checked')).toBe('true');
      await panel.getByText('SEFAZ simulado: disponível').waitFor();
      await sefaz.click();
      await panel.getByText('SEFAZ simulado: indisponível').waitFor();
      expect(await sefaz.getAttribute('aria-checked')).toBe('false');
      await panel
        .getByText('SEFAZ simulada indisponível: as NFC-e serão emitidas em contingência.')
        .waitFor();

      const order = await saleAtTheTill();
      // The store's manager sees the alarm wherever they are, with the deadline.
      const store = await b.signedIn(LOJA11);
      await store.goto('/orders');
      const banner = store.getByTestId('contingency-banner');
      await banner
        .getByText('1 NFC-e emitida em contingência aguarda transmissão à SEFAZ')
        .waitFor({ timeout: 20_000 });
      expect(await banner.textContent()).toMatch(/prazo mais próximo: \d{2}\/\d{2}\/\d{4}/);
      expect(await store.getByTestId('contingency-badge').textContent()).toBe('Contingência (1)');
      await banner.getByRole('button', { name: 'Ver notas' }).click();
      await banner.getByText(/NFC-e Nº \d+ · Série 1 · loja 11/).waitFor();
      await screenshot(store, 'contingency-alarm', { docs: true });

      await banner.getByRole('link', { name: 'Abrir o pedido' }).click();
      await store.waitForURL(`**/orders/${order.id}`);
      const documents = store.getByRole('region', { name: 'Notas fiscais' });
      await documents.getByText('Em contingência', { exact: true }).waitFor();
      await documents.getByText('Emitida em contingência off-line em', { exact: false }).waitFor();

      // Less than 6 h left: amber; past the deadline: red (role alert).
      await b.t.database.db.execute(
        sql`update fiscal_documents set transmit_by = now() - interval '1 hour' where status = 'contingency'`,
      );
      await store.goto('/orders');
      await store.getByRole('alert').getByText('Prazo de transmissão (24 h) vencido').waitFor();

      // SEFAZ back: the admin switches it on, the note is transmitted, the alarm goes.
      await admin.reload();
      await admin
        .getByRole('region', { name: 'Fiscal' })
        .getByRole('switch', { name: 'SEFAZ simulada disponível' })
        .click();
      await admin.getByText('SEFAZ simulado: disponível').waitFor();
      for (let i = 0; i < 200; i++) {
        const [doc] = await rows<{ status: string }>(
          b.t.database.db,
          sql`select status from fiscal_documents where reference_id = ${order.id}`,
        );
        if (doc?.status === 'authorised') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await store.goto(`/orders/${order.id}`);
      await store.getByRole('region', { name: 'Notas fiscais' }).getByText('Autorizada').waitFor();
      expect(await store.getByTestId('contingency-banner').count()).toBe(0);
      expect(await store.getByTestId('contingency-badge').count()).toBe(0);
    });

    it('Fiscal → Contingência: the SVC alarm, the confirmation, the NF-e issued in SVC, leaving', async () => {
      const admin = await b.signedIn(ADMIN);
      await admin.goto('/fiscal/contingency');
      await admin.getByRole('heading', { name: 'Fiscal · Contingência' }).waitFor();
      const documents = admin.getByTestId('contingency-documents');
      await documents.getByText('Nenhuma nota em contingência.').waitFor();

      // The state's authoriser down: a ship order's NF-e fails, the alarm asks for a confirmation.
      expect(
        (await b.t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available: false } }))
          .status,
      ).toBe(200);
      const order = await createOrder(b.t, { deliveryType: 'ship', freight: '10.00' });
      expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
        200,
      );
      const picking = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
        auth: LOJA11,
        body: { to: 'picking' },
      });
      expect(picking.status).toBe(200);
      await confer(b.t, order.id);
      void b.t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });

      const row = admin.getByTestId('svc-modes').locator('tr[data-store="11"]');
      for (let i = 0; i < 200; i++) {
        await admin.reload();
        if ((await row.getByText('SEFAZ fora do ar: confirmar contingência SVC?').count()) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await row.getByText('SEFAZ fora do ar: confirmar contingência SVC?').waitFor();
      await row.getByRole('button', { name: 'Confirmar contingência SVC' }).click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByText('Entrar em contingência SVC na loja 11?').waitFor();
      await dialog
        .getByLabel('Justificativa (xJust, de 15 a 256 caracteres)')
        .fill('SEFAZ-SP sem resposta desde as 10h, confirmado no painel');
      await dialog.getByRole('button', { name: 'Entrar em contingência SVC' }).click();
      await row.getByText('Em contingência SVC-AN (tpEmis 6)').waitFor();
      await admin.getByText('Loja 11 em contingência SVC.').waitFor();

      // The NF-e issued again in SVC and authorised there: listed among all the documents in contingency.
      for (let i = 0; i < 200; i++) {
        const [doc] = await rows<{ status: string }>(
          b.t.database.db,
          sql`select status from fiscal_documents where reference_id = ${order.id}`,
        );
        if (doc?.status === 'authorised') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await documents.getByLabel('Somente pendentes').uncheck();
      await documents.getByText('NF-e SVC (tpEmis 6)').first().waitFor();
      await documents.getByText('Concluída').first().waitFor();
      await screenshot(admin, 'contingency-svc-panel', { docs: true });

      await row.getByRole('button', { name: 'Sair da contingência' }).click();
      await dialog.getByLabel('Motivo (de 5 a 500 caracteres)').fill('SEFAZ-SP voltou');
      await dialog.getByRole('button', { name: 'Sair da contingência' }).click();
      await row.getByText('Normal').waitFor();
      expect(
        (await b.t.request('PUT', '/api/v1/fiscal/simulator', { auth: ADMIN, body: { available: true } }))
          .status,
      ).toBe(200);
    });
  },
);
