/**
 * FiscalDocument → the unsigned NF-e 4.00 (`<NFe>` with `<infNFe>`), elements in the order of
 * leiauteNFe_v4.00.xsd (PL_010b). The XML signature (`<Signature>` after `</infNFe>`) is added by
 * `signature.ts`; the result is validated by `xsd.ts` before it is sent.
 *
 * Template strings rather than an XML builder library: the layout is a fixed sequence of elements
 * whose order the XSD dictates, no attribute but `versao`/`Id`/`nItem`, and SEFAZ refuses any
 * whitespace between tags — so a library would add a dependency without removing a rule. What a
 * builder would give us, escaping, is `escapeXml` below, tested on its own.
 */

import { fail, ok, type Result } from '../../platform/errors.ts';
import { fromCents } from '../../platform/money.ts';
import {
  type ComputedDocument,
  type ComputedItem,
  computeDocument,
  type FiscalAddress,
  type FiscalDocument,
  type FiscalItem,
  formatRate,
  parseRate,
  stateCodes,
} from '../domain.ts';
import { buildAccessKey } from './access-key.ts';

export const NFE_NAMESPACE = 'http://www.portalfiscal.inf.br/nfe';

/** In homologação the recipient's name must be this text (rejection 598). */
export const HOMOLOGATION_RECIPIENT_NAME = 'NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL';
/** In homologação an NFC-e's first item must be described by this text (MOC 7.0, NFC-e rules). */
export const HOMOLOGATION_FIRST_ITEM = 'NOTA FISCAL EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL';

const APPLICATION_VERSION = 'omnihub 0.1';

export interface BuiltNfe {
  readonly xml: string;
  readonly accessKey: string;
  readonly computed: ComputedDocument;
}

/** Escapes the five XML special characters (text and attribute values alike). */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

const typographic: Record<string, string> = {
  '\u2013': '-',
  '\u2014': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u2026': '...',
};

/**
 * TString (tiposBasico_v4.00.xsd, pattern `[!-ÿ]{1}[ -ÿ]{0,}[!-ÿ]{1}`) takes Latin-1 only, with no
 * leading or trailing space and no line breaks. Typographic dashes and quotes become their ASCII
 * forms, other letters lose their accents when that brings them into Latin-1 (NFKD), and what is
 * left outside it is dropped; whitespace runs become one space.
 */
export function toLayoutText(text: string): string {
  let out = '';
  for (const char of text.replace(/\s+/g, ' ')) {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code <= 0xff && !(code >= 0x7f && code < 0xa0)) out += char;
    else if (typographic[char]) out += typographic[char];
    else {
      const base = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      if (/^[ -~\u00a0-\u00ff]+$/.test(base)) out += base;
    }
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/** An element with text; an absent or blank value leaves the (optional) element out. */
function tag(name: string, value: string | undefined): string {
  const text = value === undefined ? '' : toLayoutText(value);
  return text === '' ? '' : `<${name}>${escapeXml(text)}</${name}>`;
}

const group = (name: string, ...children: string[]): string => `<${name}>${children.join('')}</${name}>`;

const money = (name: string, cents: bigint): string => tag(name, fromCents(cents));

/** TDec_1302Opc fields (vFrete, vDesc of an item) refuse zero: leave them out instead. */
const optionalMoney = (name: string, cents: bigint): string => (cents === 0n ? '' : money(name, cents));

/**
 * dhEmi in Brasília time. Brazil has had no daylight saving time since Decreto 9.772/2019, so the offset
 * is a constant -03:00; SEFAZ accepts any offset for the instant, whatever the emitter's state.
 */
/**
 * tpEmis by model (MOC 7.0 field B22; NT 2013.007): SVC-AN (6) and SVC-RS (7) exist for the NF-e only,
 * offline contingency (9) for the NFC-e only; the authorisers reject the other pairings.
 */
function contingencyModelMismatch(doc: FiscalDocument): string | undefined {
  const type = doc.contingency?.emissionType;
  if ((type === 6 || type === 7) && doc.model !== '55')
    return `tpEmis ${type} (SVC) is for the NF-e (model 55) only`;
  if (type === 9 && doc.model !== '65')
    return 'tpEmis 9 (offline contingency) is for the NFC-e (model 65) only';
  return undefined;
}

export function brasiliaDateTime(at: Date): string {
  return `${new Date(at.getTime() - 3 * 3_600_000).toISOString().slice(0, 19)}-03:00`;
}

export function buildNfeXml(doc: FiscalDocument): Result<BuiltNfe> {
  const mismatch = contingencyModelMismatch(doc);
  if (mismatch) return fail('invalid', 'FISCAL.CONTINGENCY_MODEL', mismatch);
  const computed = computeDocument(doc);
  if (!computed.ok) return computed;
  const local = brasiliaDateTime(doc.issuedAt);
  const key = buildAccessKey({
    stateCode: stateCodes[doc.emitter.address.state],
    yearMonth: local.slice(2, 4) + local.slice(5, 7),
    cnpj: doc.emitter.cnpj,
    model: doc.model,
    series: doc.series,
    number: doc.number,
    emissionType: doc.contingency?.emissionType ?? 1,
    numericCode: doc.numericCode,
  });
  if (!key.ok) return key;
  const accessKey = key.value;
  const { items, totals, change } = computed.value;

  const xml =
    `<NFe xmlns="${NFE_NAMESPACE}"><infNFe versao="4.00" Id="NFe${accessKey}">` +
    ide(doc, accessKey, local) +
    emit(doc) +
    dest(doc) +
    doc.items.map((item, i) => det(doc, item, items[i]!, i)).join('') +
    group(
      'total',
      group(
        'ICMSTot',
        money('vBC', totals.icmsBase),
        money('vICMS', totals.icmsValue),
        money('vICMSDeson', 0n),
        money('vFCP', 0n),
        money('vBCST', 0n),
        money('vST', 0n),
        money('vFCPST', 0n),
        money('vFCPSTRet', 0n),
        money('vProd', totals.products),
        money('vFrete', totals.freight),
        money('vSeg', 0n),
        money('vDesc', totals.discount),
        money('vII', 0n),
        money('vIPI', 0n),
        money('vIPIDevol', 0n),
        money('vPIS', totals.pis),
        money('vCOFINS', totals.cofins),
        money('vOutro', 0n),
        money('vNF', totals.total),
      ),
    ) +
    group('transp', tag('modFrete', doc.freight.mode)) +
    (doc.billing
      ? group(
          'cobr',
          group(
            'fat',
            tag('nFat', doc.billing.number),
            money(
              'vOrig',
              doc.billing.installments.reduce((a, d) => a + d.amount, 0n),
            ),
            money('vDesc', 0n),
            money(
              'vLiq',
              doc.billing.installments.reduce((a, d) => a + d.amount, 0n),
            ),
          ),
          ...doc.billing.installments.map((d) =>
            group('dup', tag('nDup', d.number), tag('dVenc', d.dueDate), money('vDup', d.amount)),
          ),
        )
      : '') +
    group(
      'pag',
      ...doc.payments.map((p) =>
        group(
          'detPag',
          tag('tPag', p.method),
          tag('xPag', p.description),
          money('vPag', p.amount),
          p.card
            ? group(
                'card',
                tag('tpIntegra', p.card.integration),
                tag('CNPJ', p.card.acquirerCnpj),
                tag('tBand', p.card.brand),
                tag('cAut', p.card.authorization),
              )
            : '',
        ),
      ),
      optionalMoney('vTroco', change),
    ) +
    (doc.additionalInfo && (doc.additionalInfo.forFisco || doc.additionalInfo.forTaxpayer)
      ? group(
          'infAdic',
          tag('infAdFisco', doc.additionalInfo.forFisco),
          tag('infCpl', doc.additionalInfo.forTaxpayer),
        )
      : '') +
    '</infNFe></NFe>';
  return ok({ xml, accessKey, computed: computed.value });
}

function ide(doc: FiscalDocument, accessKey: string, local: string): string {
  // indIntermed is required for remote sales, indPres 2, 3, 4 and 9 (NT 2020.006); 0 = own site or shop.
  const remote = ['2', '3', '4', '9'].includes(doc.presence);
  return group(
    'ide',
    tag('cUF', stateCodes[doc.emitter.address.state]),
    tag('cNF', doc.numericCode),
    tag('natOp', doc.natureOfOperation),
    tag('mod', doc.model),
    tag('serie', String(doc.series)),
    tag('nNF', String(doc.number)),
    tag('dhEmi', local),
    tag('tpNF', doc.direction),
    tag('idDest', doc.destination),
    tag('cMunFG', doc.emitter.address.cityCode),
    // tpImp: 1 DANFE portrait (NF-e), 4 DANFE NFC-e.
    tag('tpImp', doc.model === '65' ? '4' : '1'),
    tag('tpEmis', String(doc.contingency?.emissionType ?? 1)),
    tag('cDV', accessKey.slice(43)),
    tag('tpAmb', doc.environment),
    tag('finNFe', doc.finality ?? '1'),
    tag('indFinal', doc.finalConsumer ? '1' : '0'),
    tag('indPres', doc.presence),
    remote ? tag('indIntermed', '0') : '',
    // procEmi 0: issued by the taxpayer's own application.
    tag('procEmi', '0'),
    tag('verProc', APPLICATION_VERSION),
    // B28/B29: when and why the contingency started (rejections 556/557: only and always in contingency).
    doc.contingency ? tag('dhCont', brasiliaDateTime(doc.contingency.since)) : '',
    doc.contingency ? tag('xJust', doc.contingency.justification) : '',
    ...(doc.referencedKeys ?? []).map((key) => group('NFref', tag('refNFe', key))),
  );
}

function address(name: string, a: FiscalAddress): string {
  return group(
    name,
    tag('xLgr', a.street),
    tag('nro', a.number),
    tag('xCpl', a.complement),
    tag('xBairro', a.district),
    tag('cMun', a.cityCode),
    tag('xMun', a.city),
    tag('UF', a.state),
    tag('CEP', a.postalCode),
    tag('cPais', '1058'),
    tag('xPais', 'BRASIL'),
    tag('fone', a.phone),
  );
}

function emit(doc: FiscalDocument): string {
  const e = doc.emitter;
  return group(
    'emit',
    tag('CNPJ', e.cnpj),
    tag('xNome', e.name),
    tag('xFant', e.tradeName),
    address('enderEmit', e.address),
    tag('IE', e.stateRegistration),
    tag('CRT', String(e.taxRegime)),
  );
}

function dest(doc: FiscalDocument): string {
  const r = doc.recipient;
  if (!r) return '';
  return group(
    'dest',
    tag(r.document.kind === 'cpf' ? 'CPF' : 'CNPJ', r.document.number),
    tag('xNome', doc.environment === '2' ? HOMOLOGATION_RECIPIENT_NAME : r.name),
    r.address ? address('enderDest', r.address) : '',
    tag('indIEDest', r.stateRegistrationIndicator),
    tag('IE', r.stateRegistration),
    tag('email', r.email),
  );
}

function det(doc: FiscalDocument, item: FiscalItem, values: ComputedItem, index: number): string {
  const description =
    doc.environment === '2' && doc.model === '65' && index === 0 ? HOMOLOGATION_FIRST_ITEM : item.description;
  const ean = item.ean ?? 'SEM GTIN';
  const quantity = `${item.quantity}.0000`;
  const unitPrice = fromCents(item.unitPrice);
  return (
    `<det nItem="${index + 1}">` +
    group(
      'prod',
      tag('cProd', item.code),
      tag('cEAN', ean),
      tag('xProd', description),
      tag('NCM', item.ncm),
      tag('CEST', item.cest),
      tag('CFOP', item.cfop),
      tag('uCom', item.unit),
      tag('qCom', quantity),
      tag('vUnCom', unitPrice),
      money('vProd', values.grossValue),
      tag('cEANTrib', ean),
      tag('uTrib', item.unit),
      tag('qTrib', quantity),
      tag('vUnTrib', unitPrice),
      optionalMoney('vFrete', values.freight),
      optionalMoney('vDesc', values.discount),
      // indTot 1: the item's value makes up the document's vProd.
      tag('indTot', '1'),
    ) +
    group(
      'imposto',
      icms(item, values),
      pisCofins('PIS', item.pis, values.pisBase, values.pisValue),
      pisCofins('COFINS', item.cofins, values.cofinsBase, values.cofinsValue),
    ) +
    '</det>'
  );
}

function icms(item: FiscalItem, values: ComputedItem): string {
  const tax = item.icms;
  if (tax.regime === 'simples')
    return group('ICMS', group('ICMSSN102', tag('orig', tax.origin), tag('CSOSN', tax.csosn)));
  return group(
    'ICMS',
    group(
      'ICMS00',
      tag('orig', tax.origin),
      tag('CST', tax.cst),
      // modBC 3: the base is the value of the operation.
      tag('modBC', '3'),
      money('vBC', values.icmsBase),
      tag('pICMS', formatRate(parseRate(tax.rate)!)),
      money('vICMS', values.icmsValue),
    ),
  );
}

function pisCofins(name: 'PIS' | 'COFINS', tax: FiscalItem['pis'], base: bigint, value: bigint): string {
  // CST 01/02 → PISAliq/COFINSAliq; 49/99 → PISOutr/COFINSOutr with zero base, rate and value.
  const rate = 'rate' in tax ? formatRate(parseRate(tax.rate)!) : '0.00';
  return group(
    name,
    group(
      `${name}${'rate' in tax ? 'Aliq' : 'Outr'}`,
      tag('CST', tax.cst),
      money('vBC', base),
      tag(`p${name}`, rate),
      money(`v${name}`, value),
    ),
  );
}
