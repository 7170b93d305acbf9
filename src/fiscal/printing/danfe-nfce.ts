/**
 * The DANFE NFC-e (model 65) for an 80 mm thermal roll, in the divisions of the "Manual de
 * Especificações Técnicas do DANFE NFC-e e QR Code": emitter; items; totals and payments; the
 * consultation address and the access key; the consumer; number, series, date and protocol; the QR code.
 * One page as long as the receipt. The QR content (infNFeSupl/qrCode) is built elsewhere and given here.
 */
import bwipjs from 'bwip-js';
import {
  formatCnpj,
  formatCpf,
  formatDate,
  formatMoney,
  formatPostalCode,
  formatTime,
} from '../../platform/format-br.ts';
import { renderPdf } from '../../platform/pdf.ts';
import { HOMOLOGATION_FIRST_ITEM } from '../xml/index.ts';
import type { DanfeInput } from './danfe.ts';
import { HOMOLOGATION_NOTICE, NOT_AUTHORISED_NOTICE } from './danfe.ts';
import { formatAccessKey, formatDocumentNumber, paymentMethodLabels, wrapText } from './danfe-layout.ts';

export interface NfceReceiptInput extends DanfeInput {
  /** urlChave: the state's page for looking a key up (MOC 7.0, NT 2015.002 table of addresses). */
  readonly consultationUrl: string;
  /** The QR code's content, infNFeSupl/qrCode. */
  readonly qrCode: string;
}

const MM = 72 / 25.4;
const WIDTH = 80 * MM;
const MARGIN = 4 * MM;
const INNER = WIDTH - 2 * MARGIN;
const QR_SIZE = 30 * MM;

type Align = 'left' | 'center';
type Element =
  | { kind: 'text'; text: string; size: number; bold?: boolean; align?: Align }
  | { kind: 'pair'; left: string; right: string; size: number; bold?: boolean }
  | { kind: 'rule' }
  | { kind: 'qr' };

/** The DANFE NFC-e of a document issued in offline contingency (tpEmis 9). */
export const CONTINGENCY_NOTICE = 'EMITIDA EM CONTINGÊNCIA';
export const PENDING_NOTICE = 'Pendente de autorização';

const SMALL = 6.5;
const NORMAL = 7.5;

export function renderNfceReceipt(input: NfceReceiptInput): Promise<Buffer> {
  return renderPdf(`DANFE NFC-e ${input.accessKey}`, (doc) => {
    const elements = receiptElements(input);
    const lines = (e: Element): string[] => {
      if (e.kind !== 'text') return [];
      doc.font(e.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(e.size);
      return wrapText(e.text, INNER, (s) => doc.widthOfString(s));
    };
    const heightOf = (e: Element): number => {
      switch (e.kind) {
        case 'text':
          return lines(e).length * e.size * 1.25;
        case 'pair':
          return e.size * 1.25;
        case 'rule':
          return 6;
        case 'qr':
          return QR_SIZE + 8;
      }
    };
    const height = 2 * MARGIN + elements.reduce((a, e) => a + heightOf(e), 0);
    doc.addPage({ size: [WIDTH, Math.ceil(height)], margin: 0 });

    let y = MARGIN;
    for (const e of elements) {
      switch (e.kind) {
        case 'text':
          for (const [i, line] of lines(e).entries())
            doc.text(line, MARGIN, y + i * e.size * 1.25, {
              width: INNER,
              align: e.align ?? 'left',
              lineBreak: false,
            });
          break;
        case 'pair':
          doc.font(e.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(e.size);
          doc.text(e.left, MARGIN, y, { lineBreak: false });
          doc.text(e.right, MARGIN + INNER - doc.widthOfString(e.right), y, { lineBreak: false });
          break;
        case 'rule':
          doc
            .moveTo(MARGIN, y + 3)
            .lineTo(MARGIN + INNER, y + 3)
            .lineWidth(0.5)
            .dash(2, { space: 2 })
            .stroke()
            .undash();
          break;
        case 'qr':
          drawQrCode(doc, input.qrCode, MARGIN + (INNER - QR_SIZE) / 2, y + 4, QR_SIZE);
          break;
      }
      y += heightOf(e);
    }
  });
}

function receiptElements(input: NfceReceiptInput): Element[] {
  const { document: nfce, computed, accessKey, authorisation } = input;
  const e = nfce.emitter;
  const a = e.address;
  const t = computed.totals;
  const centred = (text: string, size = NORMAL, bold = false): Element => ({
    kind: 'text',
    text,
    size,
    bold,
    align: 'center',
  });
  const homologation = nfce.environment === '2';

  const out: Element[] = [
    centred(e.name, 8.5, true),
    centred(`CNPJ: ${formatCnpj(e.cnpj)}  IE: ${e.stateRegistration}`, SMALL),
    centred(
      `${a.street}, ${a.number}, ${a.district}, ${a.city} - ${a.state}, CEP ${formatPostalCode(a.postalCode)}`,
      SMALL,
    ),
    { kind: 'rule' },
    centred('Documento Auxiliar da Nota Fiscal de Consumidor Eletrônica', SMALL, true),
    { kind: 'rule' },
    {
      kind: 'pair',
      left: 'Código  Descrição',
      right: 'Qtde  Un  Vl Unit  Vl Total',
      size: SMALL,
      bold: true,
    },
  ];
  nfce.items.forEach((item, i) => {
    // What the XML carries: in homologação the first item's description is the fixed text of the manual.
    const description = homologation && i === 0 ? HOMOLOGATION_FIRST_ITEM : item.description;
    out.push({ kind: 'text', text: `${item.code}  ${description}`, size: SMALL });
    out.push({
      kind: 'pair',
      left: '',
      right: `${item.quantity} ${item.unit} x ${formatMoney(item.unitPrice)}  ${formatMoney(computed.items[i]!.grossValue)}`,
      size: SMALL,
    });
  });
  out.push({ kind: 'rule' });
  const pair = (left: string, right: string, bold = false): Element => ({
    kind: 'pair',
    left,
    right,
    size: NORMAL,
    bold,
  });
  out.push(pair('Qtde. total de itens', String(nfce.items.length)));
  out.push(pair('Valor total R$', formatMoney(t.products)));
  if (t.discount > 0n) out.push(pair('Descontos R$', formatMoney(t.discount)));
  if (t.freight > 0n) out.push(pair('Frete R$', formatMoney(t.freight)));
  out.push(pair('Valor a Pagar R$', formatMoney(t.total), true));
  out.push({ kind: 'pair', left: 'FORMA PAGAMENTO', right: 'VALOR PAGO R$', size: SMALL, bold: true });
  for (const p of nfce.payments) out.push(pair(paymentMethodLabels[p.method], formatMoney(p.amount)));
  if (computed.change > 0n) out.push(pair('Troco R$', formatMoney(computed.change)));
  out.push({ kind: 'rule' });
  out.push(centred('Consulte pela Chave de Acesso em', SMALL, true));
  out.push(centred(input.consultationUrl, SMALL));
  out.push(centred(formatAccessKey(accessKey), SMALL));
  out.push({ kind: 'rule' });
  const r = nfce.recipient;
  out.push(
    centred(
      r
        ? `CONSUMIDOR ${r.document.kind === 'cpf' ? `CPF: ${formatCpf(r.document.number)}` : `CNPJ: ${formatCnpj(r.document.number)}`}`
        : 'CONSUMIDOR NÃO IDENTIFICADO',
      SMALL,
      true,
    ),
  );
  out.push({ kind: 'rule' });
  out.push(
    centred(
      `NFC-e nº ${formatDocumentNumber(nfce.number)} Série ${String(nfce.series).padStart(3, '0')} ${formatDate(nfce.issuedAt)} ${formatTime(nfce.issuedAt)}`,
      SMALL,
      true,
    ),
  );
  if (nfce.contingency) {
    // Manual do DANFE NFC-e: a receipt issued offline says so, and, until SEFAZ authorises it, that the
    // authorisation is pending (the consumer can look the key up only after the transmission).
    out.push(centred(CONTINGENCY_NOTICE, NORMAL, true));
    if (!authorisation) {
      out.push(centred(PENDING_NOTICE, SMALL, true));
      out.push(
        centred(
          `Entrada em contingência: ${formatDate(nfce.contingency.since)} ${formatTime(nfce.contingency.since)}`,
          SMALL,
        ),
      );
    }
  }
  if (authorisation) {
    out.push(centred(`Protocolo de autorização: ${authorisation.protocol}`, SMALL));
    out.push(
      centred(
        `Data de autorização: ${formatDate(authorisation.authorisedAt)} ${formatTime(authorisation.authorisedAt)}`,
        SMALL,
      ),
    );
  } else if (!nfce.contingency) out.push(centred(NOT_AUTHORISED_NOTICE, NORMAL, true));
  if (homologation) out.push(centred(HOMOLOGATION_NOTICE, SMALL, true));
  out.push({ kind: 'qr' });
  if (nfce.additionalInfo?.forTaxpayer) out.push(centred(nfce.additionalInfo.forTaxpayer, SMALL));
  return out;
}

/** The QR code as vector squares, level M (the manual's minimum), `size` points wide. */
function drawQrCode(doc: PDFKit.PDFDocument, content: string, x: number, y: number, size: number) {
  const [symbol] = bwipjs.raw('qrcode', content, 'eclevel=M') as Array<{
    pixs: number[];
    pixx: number;
    pixy: number;
  }>;
  const { pixs, pixx, pixy } = symbol!;
  const module = size / pixx;
  for (let row = 0; row < pixy; row++)
    for (let col = 0; col < pixx; col++)
      if (pixs[row * pixx + col]) doc.rect(x + col * module, y + row * module, module, module);
  doc.fill('black');
}
