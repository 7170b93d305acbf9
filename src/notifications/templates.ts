import { Liquid } from 'liquidjs';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { TemplateCode } from './domain.ts';

/**
 * The messages' texts (pt-BR), in Liquid (LiquidJS): `{{ variable }}`, `{% if %}`, `{% for %}`. In the HTML part
 * every output is HTML-escaped (a customer named `<b>` is printed, not interpreted); the subject and the text
 * part are plain text. A network may replace a template's three parts (IN_ALT_MENSAGEM); these are the shipped
 * ones that "Restaurar padrão" brings back.
 */

export interface TemplateText {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateDefinition extends TemplateText {
  /** What the template is for (pt-BR, shown on the editor). */
  title: string;
  /** The variables it may use, with what each holds (pt-BR, shown on the editor). */
  variables: Readonly<Record<string, string>>;
  /**
   * The approved WhatsApp utility template's body parameters, in order ({{1}}, {{2}}, ...): names of variables.
   * The Cloud API sends the template by its code with these; its text is approved at Meta, not edited here.
   */
  whatsapp: readonly string[];
}

const layout = (body: string) =>
  `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="margin:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#1f2933">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px">
<tr><td style="padding:24px;font-size:15px;line-height:1.5">
${body.trim()}
</td></tr></table>
<p style="font-size:12px;color:#6b7280">{{ storeName }} — mensagem automática, não responda.</p>
</td></tr></table>
</body></html>
`;

const button = (href: string, label: string) =>
  `<p><a href="{{ ${href} }}" style="display:inline-block;background:#1d4ed8;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">${label}</a></p>`;

const customer = {
  customerName: 'Nome do cliente',
  orderNumber: 'Número do pedido na loja',
  externalId: 'Número do pedido no e-commerce',
  storeName: 'Nome da loja que atende o pedido',
};

export const templates: Readonly<Record<TemplateCode, TemplateDefinition>> = {
  store_new_order: {
    title: 'Novo pedido para a loja',
    variables: {
      storeName: 'Nome da loja',
      orderNumber: 'Número do pedido na loja',
      externalId: 'Número do pedido no e-commerce',
      customerName: 'Nome do cliente',
      deliveryLabel: 'Retira na loja / Envio pela loja',
      total: 'Valor total (R$ 1.234,56)',
      placedAt: 'Data e hora da compra (horário de Brasília)',
      items: 'Itens: cada um com sku, description e quantity',
      orderUrl: 'Link do pedido no Omnihub',
    },
    whatsapp: ['storeName', 'orderNumber'],
    subject: 'Novo pedido {{ orderNumber }} para {{ storeName }}',
    text: `Olá, equipe {{ storeName }}!

Chegou o pedido {{ orderNumber }} (e-commerce {{ externalId }}) de {{ customerName }}.
Entrega: {{ deliveryLabel }}. Total: {{ total }}. Compra em {{ placedAt }}.

Itens:
{% for item in items %}- {{ item.quantity }} x {{ item.sku }} {{ item.description }}
{% endfor %}
Aceite o pedido no Omnihub: {{ orderUrl }}
`,
    html: layout(`
<h1 style="font-size:20px">Novo pedido {{ orderNumber }}</h1>
<p>Chegou o pedido <strong>{{ orderNumber }}</strong> (e-commerce {{ externalId }}) de {{ customerName }}.</p>
<p>Entrega: {{ deliveryLabel }}<br>Total: {{ total }}<br>Compra em {{ placedAt }}</p>
<table cellpadding="4" style="border-collapse:collapse">
{% for item in items %}<tr><td>{{ item.quantity }} x</td><td>{{ item.sku }}</td><td>{{ item.description }}</td></tr>
{% endfor %}</table>
${button('orderUrl', 'Abrir o pedido')}`),
  },
  store_stock_request: {
    title: 'Solicitação de estoque para a loja de apoio',
    variables: {
      storeName: 'Nome da loja de apoio',
      mainStoreName: 'Nome da loja que atende o pedido',
      orderNumber: 'Número do pedido',
      expectedAt: 'Data prevista da chegada à loja principal',
      items: 'Itens pedidos: cada um com sku e quantity',
      requestsUrl: 'Link das solicitações de estoque no Omnihub',
    },
    whatsapp: ['storeName', 'orderNumber'],
    subject: 'Solicitação de estoque do pedido {{ orderNumber }} para {{ storeName }}',
    text: `Olá, equipe {{ storeName }}!

{{ mainStoreName }} pede estoque para o pedido {{ orderNumber }}, com chegada prevista em {{ expectedAt }}:
{% for item in items %}- {{ item.quantity }} x {{ item.sku }}
{% endfor %}
Aceite e fature a transferência no Omnihub: {{ requestsUrl }}
`,
    html: layout(`
<h1 style="font-size:20px">Solicitação de estoque</h1>
<p><strong>{{ mainStoreName }}</strong> pede estoque para o pedido <strong>{{ orderNumber }}</strong>, com chegada prevista em {{ expectedAt }}.</p>
<ul>{% for item in items %}<li>{{ item.quantity }} x {{ item.sku }}</li>{% endfor %}</ul>
${button('requestsUrl', 'Ver solicitações de estoque')}`),
  },
  order_accepted: {
    title: 'Pedido aceito pela loja',
    variables: { ...customer, deliveryType: 'pickup (retira na loja) ou ship (envio)' },
    whatsapp: ['customerName', 'orderNumber', 'storeName'],
    subject: 'Seu pedido {{ externalId }} foi aceito',
    text: `Olá, {{ customerName }}!

A loja {{ storeName }} aceitou seu pedido {{ externalId }} e já está separando os produtos.
{% if deliveryType == "pickup" %}Avisaremos quando estiver pronto para retirada.{% else %}Avisaremos quando for faturado e enviado.{% endif %}
`,
    html: layout(`
<h1 style="font-size:20px">Pedido aceito</h1>
<p>Olá, {{ customerName }}!</p>
<p>A loja <strong>{{ storeName }}</strong> aceitou seu pedido <strong>{{ externalId }}</strong> e já está separando os produtos.</p>
<p>{% if deliveryType == "pickup" %}Avisaremos quando estiver pronto para retirada.{% else %}Avisaremos quando for faturado e enviado.{% endif %}</p>`),
  },
  order_ready_for_pickup: {
    title: 'Pedido pronto para retirada',
    variables: { ...customer, storeAddress: 'Endereço da loja' },
    whatsapp: ['customerName', 'orderNumber', 'storeName'],
    subject: 'Seu pedido {{ externalId }} está pronto para retirada',
    text: `Olá, {{ customerName }}!

Seu pedido {{ externalId }} está pronto para retirada na loja {{ storeName }}{% if storeAddress != blank %} ({{ storeAddress }}){% endif %}.
Leve um documento com foto e informe o número do pedido.
`,
    html: layout(`
<h1 style="font-size:20px">Pronto para retirada</h1>
<p>Olá, {{ customerName }}!</p>
<p>Seu pedido <strong>{{ externalId }}</strong> está pronto para retirada na loja <strong>{{ storeName }}</strong>{% if storeAddress != blank %} ({{ storeAddress }}){% endif %}.</p>
<p>Leve um documento com foto e informe o número do pedido.</p>`),
  },
  order_invoiced: {
    title: 'Pedido faturado (com o link do DANFE)',
    variables: {
      ...customer,
      deliveryType: 'pickup (retira na loja) ou ship (envio)',
      invoiceNumber: 'Número da nota fiscal',
      danfeUrl: 'Link do DANFE (PDF), válido por 30 dias, sem login',
    },
    whatsapp: ['customerName', 'orderNumber', 'danfeUrl'],
    subject: 'Seu pedido {{ externalId }} foi faturado',
    text: `Olá, {{ customerName }}!

A nota fiscal {{ invoiceNumber }} do seu pedido {{ externalId }} foi emitida pela loja {{ storeName }}.
DANFE: {{ danfeUrl }}
{% if deliveryType == "ship" %}Avisaremos quando o pedido for entregue à transportadora.{% endif %}
`,
    html: layout(`
<h1 style="font-size:20px">Pedido faturado</h1>
<p>Olá, {{ customerName }}!</p>
<p>A nota fiscal <strong>{{ invoiceNumber }}</strong> do seu pedido <strong>{{ externalId }}</strong> foi emitida pela loja {{ storeName }}.</p>
${button('danfeUrl', 'Ver o DANFE')}
{% if deliveryType == "ship" %}<p>Avisaremos quando o pedido for entregue à transportadora.</p>{% endif %}`),
  },
  order_in_transit: {
    title: 'Pedido em transporte (com o rastreio)',
    variables: {
      ...customer,
      carrier: 'Transportadora',
      trackingCode: 'Código de rastreio',
      trackingUrl: 'Link de rastreio (vazio se a transportadora não informou)',
    },
    whatsapp: ['customerName', 'orderNumber', 'trackingCode'],
    subject: 'Seu pedido {{ externalId }} está a caminho',
    text: `Olá, {{ customerName }}!

Seu pedido {{ externalId }} saiu com {{ carrier }}. Código de rastreio: {{ trackingCode }}.
{% if trackingUrl != blank %}Acompanhe a entrega: {{ trackingUrl }}{% endif %}
`,
    html: layout(`
<h1 style="font-size:20px">Pedido a caminho</h1>
<p>Olá, {{ customerName }}!</p>
<p>Seu pedido <strong>{{ externalId }}</strong> saiu com {{ carrier }}. Código de rastreio: <strong>{{ trackingCode }}</strong>.</p>
{% if trackingUrl != blank %}${button('trackingUrl', 'Acompanhar a entrega')}{% endif %}`),
  },
  order_delivered: {
    title: 'Pedido entregue',
    variables: { ...customer },
    whatsapp: ['customerName', 'orderNumber'],
    subject: 'Seu pedido {{ externalId }} foi entregue',
    text: `Olá, {{ customerName }}!

Seu pedido {{ externalId }} foi entregue. Obrigado por comprar com {{ storeName }}!
`,
    html: layout(`
<h1 style="font-size:20px">Pedido entregue</h1>
<p>Olá, {{ customerName }}!</p>
<p>Seu pedido <strong>{{ externalId }}</strong> foi entregue. Obrigado por comprar com {{ storeName }}!</p>`),
  },
};

const html = new Liquid({ outputEscape: 'escape', strictFilters: true, cache: 64 });
const plain = new Liquid({ strictFilters: true, cache: 64 });

export type Variables = Readonly<Record<string, unknown>>;

/** Renders a template's three parts; the HTML escapes every output. */
export async function render(text: TemplateText, variables: Variables): Promise<TemplateText> {
  const subject = (await plain.parseAndRender(text.subject, variables)).replace(/\s+/g, ' ').trim();
  return {
    subject,
    text: await plain.parseAndRender(text.text, variables),
    html: await html.parseAndRender(text.html, { ...variables, subject }),
  };
}

/**
 * A network's text is taken only if each part compiles; each error names the part and the engine's
 * message with its line and column ("line:3, col:5").
 */
export function validateTemplate(text: TemplateText): Result<TemplateText> {
  const errors = [];
  for (const part of ['subject', 'text', 'html'] as const) {
    try {
      (part === 'html' ? html : plain).parse(text[part]);
    } catch (error) {
      errors.push({
        path: `/${part}`,
        code: 'NOTIFICATION.TEMPLATE_INVALID',
        params: { engine: (error as Error).message },
        message: (error as Error).message,
      });
    }
  }
  if (errors.length)
    return fail('invalid', 'NOTIFICATION.TEMPLATE_INVALID', 'The template does not compile.', { errors });
  return ok(text);
}
