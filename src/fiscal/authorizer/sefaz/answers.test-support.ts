/**
 * SEFAZ's answers as the authorisers send them, in the element order of their schemas (retEnviNFe_v4.00,
 * retConsReciNFe_v4.00, retConsSitNFe_v4.00, retEnvEvento_v1.00, retInutNFe_v4.00, retConsStatServ_v4.00),
 * for the client's tests. `prefix` writes them with a namespace prefix, as a few states do.
 */
const NFE = 'http://www.portalfiscal.inf.br/nfe';
const VER_APLIC = 'SP_NFE_PL009_V4';
export const RECEIVED_AT = '2026-12-06T09:31:46-03:00';

const root = (name: string, attrs: string, content: string, prefix?: string) =>
  prefix
    ? `<${prefix}:${name} xmlns:${prefix}="${NFE}" ${attrs}>${content.replace(/<(\/?)(?=[A-Za-z])/g, `<$1${prefix}:`)}</${prefix}:${name}>`
    : `<${name} xmlns="${NFE}" ${attrs}>${content}</${name}>`;

export interface ProtInput {
  readonly accessKey: string;
  readonly status: number;
  readonly reason: string;
  readonly protocol?: string;
}

export const protNFe = (p: ProtInput): string =>
  `<protNFe versao="4.00"><infProt Id="ID${p.protocol ?? '135260000000001'}"><tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic>` +
  `<chNFe>${p.accessKey}</chNFe><dhRecbto>${RECEIVED_AT}</dhRecbto>` +
  (p.protocol ? `<nProt>${p.protocol}</nProt><digVal>vFL68WETQ+mvj1aJAMDx+oVi928=</digVal>` : '') +
  `<cStat>${p.status}</cStat><xMotivo>${p.reason}</xMotivo></infProt></protNFe>`;

const head = (status: number, reason: string) =>
  `<tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic><cStat>${status}</cStat><xMotivo>${reason}</xMotivo>` +
  `<cUF>35</cUF><dhRecbto>${RECEIVED_AT}</dhRecbto>`;

/** retEnviNFe 104 (processed synchronously) with the NF-e's protocol. */
export const retEnviNFeProcessed = (prot: ProtInput, prefix?: string): string =>
  root('retEnviNFe', 'versao="4.00"', head(104, 'Lote processado') + protNFe(prot), prefix);

/** retEnviNFe 103: received, poll `receipt` after `tMed` seconds. */
export const retEnviNFeReceived = (receipt: string, tMed = 1): string =>
  root(
    'retEnviNFe',
    'versao="4.00"',
    `${head(103, 'Lote recebido com sucesso')}<infRec><nRec>${receipt}</nRec><tMed>${tMed}</tMed></infRec>`,
  );

/** retEnviNFe without a protocol: the batch itself refused (225 schema, 656 consumo indevido, 108…). */
export const retEnviNFeStatus = (status: number, reason: string): string =>
  root('retEnviNFe', 'versao="4.00"', head(status, reason));

export const retConsReciNFe = (receipt: string, status: number, reason: string, prot?: ProtInput): string =>
  root(
    'retConsReciNFe',
    'versao="4.00"',
    `<tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic><nRec>${receipt}</nRec><cStat>${status}</cStat>` +
      `<xMotivo>${reason}</xMotivo><cUF>35</cUF><dhRecbto>${RECEIVED_AT}</dhRecbto>${prot ? protNFe(prot) : ''}`,
  );

export const retConsSitNFe = (
  accessKey: string,
  status: number,
  reason: string,
  extra: { prot?: ProtInput; procEvento?: string } = {},
  prefix?: string,
): string =>
  root(
    'retConsSitNFe',
    'versao="4.00"',
    `${head(status, reason)}<chNFe>${accessKey}</chNFe>${extra.prot ? protNFe(extra.prot) : ''}${extra.procEvento ?? ''}`,
    prefix,
  );

/** The signed `<evento>` of an `<envEvento>` batch, as a `procEventoNFe` quotes it. */
export const eventoOf = (signedEnvEvento: string): string => {
  const evento = /<evento[ >][\s\S]*<\/evento>/.exec(signedEnvEvento)?.[0];
  if (!evento) throw new Error('no <evento> in the batch');
  return evento;
};

/** A `procEventoNFe` as retConsSitNFe lists the events of an NF-e. */
export const procEventoNFe = (signedEnvEvento: string, answer: RetEventoInput): string =>
  `<procEventoNFe versao="1.00">${eventoOf(signedEnvEvento)}${retEvento(answer)}</procEventoNFe>`;

export interface RetEventoInput {
  readonly accessKey: string;
  readonly status: number;
  readonly reason: string;
  readonly protocol?: string;
}

export const retEvento = (e: RetEventoInput): string =>
  `<retEvento versao="1.00"><infEvento><tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic><cOrgao>35</cOrgao>` +
  `<cStat>${e.status}</cStat><xMotivo>${e.reason}</xMotivo><chNFe>${e.accessKey}</chNFe>` +
  '<tpEvento>110111</tpEvento><xEvento>Cancelamento registrado</xEvento><nSeqEvento>1</nSeqEvento>' +
  `<dhRegEvento>${RECEIVED_AT}</dhRegEvento>${e.protocol ? `<nProt>${e.protocol}</nProt>` : ''}</infEvento></retEvento>`;

export const retEnvEvento = (
  status: number,
  reason: string,
  event?: RetEventoInput,
  prefix?: string,
): string =>
  root(
    'retEnvEvento',
    'versao="1.00"',
    `<idLote>1</idLote><tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic><cOrgao>35</cOrgao>` +
      `<cStat>${status}</cStat><xMotivo>${reason}</xMotivo>${event ? retEvento(event) : ''}`,
    prefix,
  );

export const retInutNFe = (
  status: number,
  reason: string,
  range: { cnpj: string; from: number; to: number; protocol?: string },
): string =>
  root(
    'retInutNFe',
    'versao="4.00"',
    `<infInut><tpAmb>2</tpAmb><verAplic>${VER_APLIC}</verAplic><cStat>${status}</cStat>` +
      `<xMotivo>${reason}</xMotivo><cUF>35</cUF><ano>26</ano><CNPJ>${range.cnpj}</CNPJ><mod>55</mod>` +
      `<serie>1</serie><nNFIni>${range.from}</nNFIni><nNFFin>${range.to}</nNFFin><dhRecbto>${RECEIVED_AT}</dhRecbto>` +
      `${range.protocol ? `<nProt>${range.protocol}</nProt>` : ''}</infInut>`,
  );

export const retConsStatServ = (
  status: number,
  reason: string,
  extra: { tMed?: number; dhRetorno?: string; xObs?: string } = {},
  prefix?: string,
): string =>
  root(
    'retConsStatServ',
    'versao="4.00"',
    head(status, reason) +
      (extra.tMed !== undefined ? `<tMed>${extra.tMed}</tMed>` : '') +
      (extra.dhRetorno ? `<dhRetorno>${extra.dhRetorno}</dhRetorno>` : '') +
      (extra.xObs ? `<xObs>${extra.xObs}</xObs>` : ''),
    prefix,
  );
