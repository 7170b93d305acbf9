import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/platform/db/sql.ts';
import { ADMIN, confer, LOJA11, orderBody, PLATFORM } from '../order-fixtures.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

const JUSTIFICATION = 'Cliente desistiu da compra antes do envio';

/**
 * Waits for the answer to a click that opens a file in a new tab (the DANFE) and returns its status and
 * type; the tab is closed so the order's tab is in front again.
 */
async function tabAnswer(page: Page, path: string, click: () => Promise<void>) {
  const [res, tab] = await Promise.all([
    page.waitForResponse((r) => r.url().includes(path)),
    page.waitForEvent('popup'),
    click(),
  ]);
  await tab.close();
  await page.bringToFront();
  return { status: res.status(), type: res.headers()['content-type'] };
}

describe.skipIf(chromiumMissing)('back office: invoicing (NF-e) and fiscal settings', () => {
  let b: BrowserApp;
  /** How far the fiscal clock (SEFAZ's and the documents') runs ahead: past the 24 h cancellation window. */
  let offset = 0;
  beforeAll(async () => {
    b = await startBrowserApp({ clock: () => new Date(Date.now() + offset) });
  });
  afterAll(() => b?.close());

  /** A ship-from-store order with freight, accepted and in picking: what "Faturar" takes. */
  async function pickingShipOrder(body = orderBody({ deliveryType: 'ship', freight: '15.00' })) {
    const created = await b.t.request('POST', '/api/v1/orders', { auth: PLATFORM, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body as { id: string; number: number };
    expect((await b.t.request('POST', `/api/v1/orders/${order.id}/accept`, { auth: LOJA11 })).status).toBe(
      200,
    );
    const picking = await b.t.request('POST', `/api/v1/orders/${order.id}/transitions`, {
      auth: LOJA11,
      body: { to: 'picking' },
    });
    expect(picking.status, JSON.stringify(picking.body)).toBe(200);
    await confer(b.t, order.id);
    return order;
  }

  it('invoices a ship order from its screen, opens the DANFE and cancels the NF-e with a justification', async () => {
    const order = await pickingShipOrder();
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    const fiscal = page.getByRole('region', { name: 'Notas fiscais' });
    await fiscal.getByText('Nenhuma nota fiscal emitida para este pedido.').waitFor();

    // "Faturar" asks with the seeds' warning first.
    await page.getByRole('button', { name: 'Faturar', exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Gerar nota fiscal' });
    await ask
      .getByText('Atenção: Esta opção irá gerar uma Nota Fiscal para este Pedido. Deseja continuar?')
      .waitFor();
    await screenshot(page, 'invoice-confirm');
    await ask.getByRole('button', { name: 'Sim, faturar' }).click();

    await page.getByText(`Pedido Nº ${order.number} faturado: NF-e autorizada.`).waitFor();
    await page.locator('.order-title .status', { hasText: 'Faturado' }).waitFor();
    const doc = fiscal.locator('li.fiscal-document');
    await doc.locator('.status', { hasText: 'Autorizada' }).waitFor();
    const key = (await doc.getAttribute('data-key')) ?? '';
    expect(key).toMatch(/^\d{44}$/);
    // The key as printed on the DANFE, in groups of four; the protocol with its date.
    await doc.getByText(key.replace(/(\d{4})(?=\d)/g, '$1 ')).waitFor();
    expect(await doc.textContent()).toMatch(/Protocolo\d{15} em \d{2}\/\d{2}\/\d{4}/);
    expect(await doc.locator('h3').textContent()).toMatch(/^NF-e Nº \d+ · Série 1$/);
    await screenshot(page, 'order-invoiced', { docs: true });

    // The DANFE opens in a new tab: a PDF fetched with the session.
    const number = (await doc.locator('h3').textContent())?.match(/Nº (\d+)/)?.[1];
    const danfe = await tabAnswer(page, '/danfe.pdf', () =>
      page.getByRole('button', { name: `Abrir o DANFE da NF-e Nº ${number}` }).click(),
    );
    expect(danfe).toEqual({ status: 200, type: 'application/pdf' });
    // The notice's own link answers the same PDF.
    const fromNotice = await tabAnswer(page, '/danfe.pdf', () =>
      page.getByRole('button', { name: 'Abrir DANFE (PDF)' }).click(),
    );
    expect(fromNotice.type).toBe('application/pdf');
    // The XML is a download named by its key.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: `Baixar o XML da NF-e Nº ${number}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${key}-nfe.xml`);

    // Cancelling asks for a justification of 15 to 255 characters, counted as it is typed.
    await doc.getByRole('button', { name: 'Cancelar NF-e' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancelar NF-e' });
    const confirm = cancel.getByRole('button', { name: 'Cancelar NF-e' });
    const justification = cancel.getByLabel('Justificativa do cancelamento (de 15 a 255 caracteres)');
    await justification.fill('Desistiu');
    await cancel.getByText('8 de 255 caracteres (mínimo 15)').waitFor();
    expect(await confirm.isDisabled()).toBe(true);
    await justification.fill(JUSTIFICATION);
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, 'nfe-cancel-dialog');
    await confirm.click();

    await page.getByText(`NF-e Nº ${number} cancelada na SEFAZ.`, { exact: false }).waitFor();
    await doc.locator('.status', { hasText: 'Cancelada' }).waitFor();
    await page.locator('.order-title .status', { hasText: 'Cancelado' }).waitFor();
    expect(await doc.getByRole('button', { name: 'Cancelar NF-e' }).count()).toBe(0);
    await doc.getByText('Cancelada em').waitFor();
  });

  it('says SEFAZ refused a cancellation after 24 hours, and the NF-e stays authorised', async () => {
    const order = await pickingShipOrder();
    const issued = await b.t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    const doc = page.getByRole('region', { name: 'Notas fiscais' }).locator('li.fiscal-document');
    await doc.locator('.status', { hasText: 'Autorizada' }).waitFor();

    offset = 25 * 3_600_000;
    try {
      await doc.getByRole('button', { name: 'Cancelar NF-e' }).click();
      const cancel = page.getByRole('dialog', { name: 'Cancelar NF-e' });
      await cancel.getByLabel('Justificativa do cancelamento (de 15 a 255 caracteres)').fill(JUSTIFICATION);
      await cancel.getByRole('button', { name: 'Cancelar NF-e' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Prazo de cancelamento expirado' });
      await alert
        .getByText('Prazo de cancelamento expirado (24 h) — a SEFAZ recusou o cancelamento.')
        .waitFor();
      await alert.getByText('continua autorizada').waitFor();
    } finally {
      offset = 0;
    }
    await doc
      .getByText(/Cancelamento recusado em .* — rejeição 501: Prazo de cancelamento superior/)
      .waitFor();
    await doc.locator('.status', { hasText: 'Autorizada' }).waitFor();
    await page.locator('.order-title .status', { hasText: 'Faturado' }).waitFor();
    await screenshot(page, 'nfe-cancel-expired');
  });

  it('sends a correction letter for an authorised NF-e and lists it with its protocol and XML', async () => {
    const order = await pickingShipOrder();
    const issued = await b.t.request('POST', `/api/v1/orders/${order.id}/invoice`, { auth: LOJA11 });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const page = await b.signedIn(LOJA11);
    await page.goto(`/orders/${order.id}`);
    const doc = page.getByRole('region', { name: 'Notas fiscais' }).locator('li.fiscal-document');
    await doc.locator('.status', { hasText: 'Autorizada' }).waitFor();

    await doc.getByRole('button', { name: 'Carta de correção' }).click();
    const dialog = page.getByRole('dialog', { name: 'Carta de correção (CC-e)' });
    await dialog.getByText('não corrige valores, impostos', { exact: false }).waitFor();
    const text = dialog.getByLabel('Correção (de 15 a 1000 caracteres)');
    const confirm = dialog.getByRole('button', { name: 'Enviar carta de correção' });
    await text.fill('Curto');
    expect(await confirm.isDisabled()).toBe(true);
    await text.fill('Complemento do endereço de entrega: fundos, portão azul');
    await screenshot(page, 'nfe-correction-dialog');
    await confirm.click();

    await page.getByText('Carta de correção 1 da NF-e', { exact: false }).first().waitFor();
    const letters = doc.getByRole('list', { name: 'Cartas de correção' });
    await letters.getByText('Carta de correção 1').waitFor();
    await letters.getByText('registrada', { exact: false }).waitFor();
    await letters.getByText('Complemento do endereço de entrega: fundos, portão azul').waitFor();
    expect(await letters.textContent()).toMatch(/Protocolo \d{15}/);
    const key = (await doc.getAttribute('data-key')) ?? '';
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      letters.getByRole('button', { name: 'XML da carta' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${key}-110110-01-procEventoNFe.xml`);
    await doc.locator('.status', { hasText: 'Autorizada' }).waitFor();
    await screenshot(page, 'nfe-correction-registered');
  });

  it('says which data is missing when an NF-e cannot be issued or what to configure, from the queue’s menus', async () => {
    const body = orderBody({ deliveryType: 'ship', freight: '9.90' });
    // A city the IBGE table does not know (no code resolved): the NF-e cannot carry the recipient's address.
    const sent = (body.customer as { address?: { cityCode?: string; city: string } }).address!;
    sent.cityCode = undefined;
    sent.city = 'Cidade Que Não Existe';
    const order = await pickingShipOrder(JSON.parse(JSON.stringify(body)));
    const page = await b.signedIn(LOJA11);
    await page.goto('/orders?de=2000-01-01');
    await page.getByRole('button', { name: `Opções do pedido Nº ${order.number}` }).click();
    const menu = page.getByRole('menu', { name: `Opções do pedido Nº ${order.number}` });
    await menu.getByRole('menuitem', { name: 'Faturar' }).click();
    await page
      .getByRole('dialog', { name: 'Gerar nota fiscal' })
      .getByRole('button', { name: 'Sim, faturar' })
      .click();
    const alert = page
      .getByRole('alert')
      .filter({ hasText: `Pedido Nº ${order.number}: a NF-e não foi emitida` });
    await alert.getByText('Endereço do cliente: código IBGE do município').waitFor();
    await screenshot(page, 'invoice-data-incomplete');
    // Nothing was issued: the order is still in picking.
    const after = await b.t.request('GET', `/api/v1/orders/${order.id}`, { auth: LOJA11 });
    expect(after.body.status).toBe('picking');

    // Without the series (parameter 9259) the top "Opções" menu's "Faturar" says what to configure.
    const other = await pickingShipOrder();
    const series = await b.t.request('GET', '/api/v1/nodes/11/parameters', { auth: ADMIN });
    const before = series.body.items.find((p: { code: string }) => p.code === '9259')?.value;
    expect((await b.t.request('DELETE', '/api/v1/nodes/11/parameters/9259', { auth: ADMIN })).status).toBe(
      200,
    );
    try {
      await page.reload();
      await page.getByRole('checkbox', { name: `Selecionar o pedido Nº ${other.number}` }).check();
      await page.getByRole('button', { name: 'Opções', exact: true }).click();
      await page.getByRole('menuitem', { name: 'Faturar' }).click();
      await page
        .getByRole('dialog', { name: 'Gerar nota fiscal' })
        .getByRole('button', { name: 'Sim, faturar' })
        .click();
      await page
        .getByRole('alert')
        .getByText('define o parâmetro 9259 (Série Padrão para Pedido Omni)', { exact: false })
        .waitFor();
    } finally {
      await b.t.request('PUT', '/api/v1/nodes/11/parameters/9259', { auth: ADMIN, body: { value: before } });
    }
  });

  it('shows store 11’s fiscal settings with the demo certificate, and says beside the field what is wrong', async () => {
    const clerk = await b.signedIn(LOJA11);
    await clerk.goto('/network/11');
    const panel = clerk.getByRole('region', { name: 'Fiscal' });
    const facts = panel.getByTestId('fiscal-settings');
    await facts.getByText('Simples Nacional').waitFor();
    await facts.getByText('Homologação (testes)').waitFor();
    await facts
      .getByText('Demo Comércio de Vestuário Paulista Ltda. — CNPJ 45.997.418/0001-53', { exact: false })
      .waitFor();
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toLocaleDateString('pt-BR', {
      timeZone: 'America/Sao_Paulo',
    });
    expect(await facts.textContent()).toContain(validUntil.slice(3));
    await panel
      .getByText('Somente administradores da rede ou da central alteram a configuração fiscal.')
      .waitFor();
    expect(await panel.getByRole('button', { name: 'Alterar configuração fiscal' }).count()).toBe(0);
    await facts.getByText('Simulador (sem valor fiscal)').waitFor();

    // "Testar comunicação": the simulator answers 107 for both models, in green.
    await panel.getByRole('button', { name: 'Testar comunicação' }).click();
    const communication = panel.getByTestId('fiscal-communication');
    const nfe = communication.locator('[data-model="55"]');
    await nfe.getByText('107 — Serviço em Operação', { exact: false }).waitFor();
    expect(await nfe.getAttribute('class')).toContain('success');
    await communication.locator('[data-model="65"]').getByText('NFC-e (modelo 65)').waitFor();
    await screenshot(clerk, 'fiscal-settings', { docs: true });

    // The admin edits: a file that is not a certificate is refused beside the file input.
    const admin = await b.signedIn(ADMIN);
    await admin.goto('/network/11');
    const adminPanel = admin.getByRole('region', { name: 'Fiscal' });
    await adminPanel.getByRole('button', { name: 'Alterar configuração fiscal' }).click();
    await adminPanel.getByLabel('Regime tributário').selectOption('3');
    await adminPanel.getByLabel('ICMS interno (%)').fill('18');
    await adminPanel.getByLabel('ICMS interestadual (%)').fill('12,00');
    await adminPanel.getByLabel('Arquivo do certificado (.pfx ou .p12)').setInputFiles({
      name: 'loja11.pfx',
      mimeType: 'application/x-pkcs12',
      buffer: Buffer.from('not a certificate'),
    });
    await adminPanel.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
    await adminPanel.getByText('Informe a senha do certificado.').waitFor();
    await adminPanel.getByLabel('Senha do certificado').fill('demo1234');
    await adminPanel.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
    await adminPanel.getByText('O arquivo não é um certificado A1 (.pfx) legível.').waitFor();
    await screenshot(admin, 'fiscal-settings-error');

    // Without a new file the certificate stays; the regime and rates are saved.
    await adminPanel.getByLabel('Arquivo do certificado (.pfx ou .p12)').setInputFiles([]);
    await adminPanel.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
    await adminPanel.getByText('Configuração fiscal de Loja 11 — São Paulo (e-commerce) salva.').waitFor();
    await adminPanel.getByTestId('fiscal-settings').getByText('Regime normal').waitFor();
    expect(await adminPanel.getByTestId('fiscal-settings').textContent()).toContain('12.00');
    await adminPanel
      .getByText('Demo Comércio de Vestuário Paulista Ltda. — CNPJ 45.997.418/0001-53', { exact: false })
      .waitFor();

    // SEFAZ in production: the admin confirms first that the documents will have fiscal value.
    await adminPanel.getByRole('button', { name: 'Alterar configuração fiscal' }).click();
    await adminPanel.getByLabel('ICMS interno (%)').fill('18');
    await adminPanel.getByLabel('ICMS interestadual (%)').fill('12');
    await adminPanel.getByLabel('Ambiente').selectOption('1');
    await adminPanel.getByLabel('SEFAZ do estado da loja').check();
    await adminPanel.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
    // The node's page holds other confirm dialogs: the open one is the only dialog shown.
    const confirm = admin.getByRole('dialog');
    await confirm.getByText('Emitir pela SEFAZ em produção?').waitFor();
    await confirm.getByText('as notas passarão a ter valor fiscal', { exact: false }).waitFor();
    await screenshot(admin, 'fiscal-settings-sefaz-production');
    await confirm.getByRole('button', { name: 'Voltar' }).click();
    expect(
      (await b.t.request('GET', '/api/v1/nodes/11/fiscal-settings', { auth: ADMIN })).body.authorizer,
    ).toBe('simulator');
    await adminPanel.getByRole('button', { name: 'Salvar configuração fiscal' }).click();
    await confirm.getByRole('button', { name: 'Usar a SEFAZ em produção' }).click();
    await adminPanel.getByText('Configuração fiscal de Loja 11 — São Paulo (e-commerce) salva.').waitFor();
    const saved = adminPanel.getByTestId('fiscal-settings');
    await saved.getByText('SEFAZ do estado da loja').waitFor();
    await saved.getByText('Produção').waitFor();

    // A SEFAZ store whose certificate expired is warned that SEFAZ refuses its documents.
    await b.t.database.db.execute(
      sql`update fiscal_settings set certificate_not_after = now() - interval '2 days' where store_id = (select id from nodes where code = '11')`,
    );
    try {
      await admin.reload();
      await adminPanel.getByText('A loja usa a SEFAZ e o certificado venceu em', { exact: false }).waitFor();
    } finally {
      await b.t.request('PUT', '/api/v1/nodes/11/fiscal-settings', {
        auth: ADMIN,
        body: { taxRegime: 1, environment: '2', authorizer: 'simulator' },
      });
    }
  });
});
