import { describe, expect, it } from 'vitest';
import { templateCodes } from './domain.ts';
import { render, templates, validateTemplate } from './templates.ts';

const variables = {
  storeName: 'Loja <Centro> & Cia',
  mainStoreName: 'Loja 11',
  orderNumber: '42',
  externalId: 'EC-1',
  customerName: '<script>alert(1)</script> Maria',
  deliveryLabel: 'Envio pela loja',
  deliveryType: 'ship',
  total: 'R$ 199,90',
  placedAt: '06/12/2026 12:00',
  expectedAt: '08/12/2026',
  items: [{ sku: 'CAL-002', description: 'Calça "jeans"', quantity: 2 }],
  orderUrl: 'https://omnihub.example/orders/1?a=1&b=2',
  requestsUrl: 'https://omnihub.example/stock-requests',
  danfeUrl: 'https://omnihub.example/api/v1/public/danfe/x.1.y',
  invoiceNumber: '123',
  carrier: 'CORREIOS',
  trackingCode: 'AB123456789BR',
  trackingUrl: 'https://rastreamento.correios.com.br/app/index.php?objetos=AB123456789BR',
  storeAddress: 'Rua A, 1 — Centro, São Paulo/SP',
};

describe('the shipped templates', () => {
  it.each(templateCodes)('%s compiles and renders subject, text and HTML', async (code) => {
    expect(validateTemplate(templates[code]).ok).toBe(true);
    const out = await render(templates[code], variables);
    expect(out.subject.length).toBeGreaterThan(5);
    expect(out.subject).not.toContain('{{');
    expect(out.text).not.toMatch(/\{\{|\{%/);
    expect(out.html).toMatch(/^<!doctype html>/);
    for (const name of Object.keys(templates[code].variables))
      expect(variables, `${code} documents ${name}`).toHaveProperty(name);
    for (const name of templates[code].whatsapp) expect(variables).toHaveProperty(name);
  });

  it('escapes every output of the HTML part and none of the plain text', async () => {
    const out = await render(templates.order_accepted, variables);
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Maria');
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('Loja &lt;Centro&gt; &amp; Cia');
    expect(out.text).toContain('<script>alert(1)</script> Maria');
  });

  it('prints the links, escaped as attributes', async () => {
    const store = await render(templates.store_new_order, variables);
    expect(store.html).toContain('href="https://omnihub.example/orders/1?a=1&amp;b=2"');
    expect(store.text).toContain('https://omnihub.example/orders/1?a=1&b=2');
    expect(store.text).toContain('- 2 x CAL-002 Calça "jeans"');
    const invoiced = await render(templates.order_invoiced, variables);
    expect(invoiced.html).toContain('href="https://omnihub.example/api/v1/public/danfe/x.1.y"');
    const transit = await render(templates.order_in_transit, { ...variables, trackingUrl: '' });
    expect(transit.text).not.toContain('Acompanhe');
  });

  it('refuses a text that does not compile, naming the part, the line and the column', () => {
    const broken = validateTemplate({
      subject: 'ok',
      text: 'linha 1\n{{ customerName | nao_existe }}',
      html: '<p>',
    });
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.failure.code).toBe('NOTIFICATION.TEMPLATE_INVALID');
    expect(broken.failure.errors).toHaveLength(1);
    expect(broken.failure.errors![0]!.path).toBe('/text');
    expect(broken.failure.errors![0]!.message).toMatch(/line:2, col:/);
  });
});
