import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWhatsAppServer, type WhatsAppServer } from '../whatsapp-server/index.ts';
import { type BrowserApp, chromiumMissing, screenshot, startBrowserApp } from './browser.ts';

/** What the screen shows after an action is read until it holds (the page re-reads its data first). */
const POLL = { timeout: 10_000 };

describe.skipIf(chromiumMissing)('back office: the network’s WhatsApp account', () => {
  let b: BrowserApp;
  let server: WhatsAppServer;
  beforeAll(async () => {
    server = await startWhatsAppServer();
    b = await startBrowserApp();
  });
  afterAll(async () => {
    await b?.close();
    await server?.close();
  });

  it('saves the account (token write-only), sends a test through the Cloud API and removes it after asking', async () => {
    const page = await b.signedIn('admin@demo.local');
    await page.goto('/network/DEMO');
    const panel = page.getByRole('region', { name: 'WhatsApp' });
    await panel.getByText('Nenhuma conta configurada').waitFor();

    await panel.getByLabel('ID do número de telefone').fill(server.phoneNumberId);
    await panel.getByLabel('ID da conta do WhatsApp Business').fill('102290129340398');
    await panel.getByLabel('Token de acesso').fill(server.accessToken);
    await panel.getByLabel('Endereço da API').fill(server.url);
    await panel.getByLabel('Em transporte').fill('Pedido Em Transporte');
    await panel.getByRole('button', { name: 'Salvar conta' }).click();
    // The form's own check speaks before anything is sent.
    await panel.getByText('Use letras minúsculas, números e sublinhado (_).').waitFor();
    await panel.getByLabel('Em transporte').fill('pedido_em_transporte');
    await panel.getByRole('button', { name: 'Salvar conta' }).click();

    await panel.getByText('Conta do WhatsApp salva.').waitFor();
    await expect.poll(() => panel.getByTestId('whatsapp-token').textContent(), POLL).toBe('token guardado');
    await expect(panel.getByLabel('Token de acesso').inputValue()).resolves.toBe('');
    await expect(panel.getByLabel('Token de acesso').getAttribute('placeholder')).resolves.toBe(
      'token guardado',
    );
    await panel.getByTestId('whatsapp-account').getByText('pedido_em_transporte').waitFor();
    expect(await page.content()).not.toContain(server.accessToken);

    await panel.getByLabel('Telefone de destino').fill('(11) 98765-4321');
    await panel.getByRole('button', { name: 'Enviar teste' }).click();
    await panel.getByText(/Mensagem aceita pelo WhatsApp para 5511987654321 \(id wamid\./).waitFor();
    expect(server.calls.at(-1)).toMatchObject({
      authorization: `Bearer ${server.accessToken}`,
      body: { to: '5511987654321', template: { name: 'hello_world' } },
    });
    await screenshot(page, 'network-whatsapp');

    server.behave('rate-limit');
    await panel.getByRole('button', { name: 'Enviar teste' }).click();
    await panel.getByText(/limite de envios atingido/).waitFor();
    await panel.getByText(/Um envio real seria tentado de novo mais tarde/).waitFor();

    await panel.getByRole('button', { name: 'Remover conta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remover a conta do WhatsApp?' });
    await dialog.getByRole('button', { name: 'Remover', exact: true }).click();
    await panel.getByText('Conta do WhatsApp removida').waitFor();
    await panel.getByText('Nenhuma conta configurada').waitFor();
    const shown = await b.t.request('GET', '/api/v1/nodes/DEMO/whatsapp', { auth: 'admin@demo.local' });
    expect(shown.body.configured).toBe(false);
  });
});
