/**
 * What an NFC-e (model 65) carries beyond the NF-e layout: the supplement `infNFeSupl` with the QR
 * code's content and the address for looking a key up (MOC 7.0, NT 2015.002 "QR Code versão 2"), and
 * the rules SEFAZ applies to model 65 that the schema does not express. Pure: no clock, no I/O; the
 * CSC (the taxpayer's security code) is given by the caller and never appears in a failure.
 */
import { createHash } from 'node:crypto';
import { fail, ok, type Result } from '../../platform/errors.ts';
import { type FiscalDocument, OFFLINE_CONTINGENCY, stateCodes, type Uf } from '../domain.ts';
import { parseAccessKey } from './access-key.ts';
import { escapeXml } from './nfe-xml.ts';

/** tpAmb: 1 production, 2 homologação. */
export type NfceEnvironment = '1' | '2';

export interface NfceAddresses {
  /** The QR code's query page; the content is `<qrCode>?p=…`. */
  readonly qrCode: string;
  /** urlChave: the page for looking a key up, printed on the DANFE NFC-e. */
  readonly urlChave: string;
}

export interface NfceSupplement {
  /** infNFeSupl/qrCode. */
  readonly qrCode: string;
  /** infNFeSupl/urlChave. */
  readonly urlChave: string;
}

/**
 * Per state and tpAmb. Source: the table of addresses of NT 2015.002 (v1.50+) as the state portals
 * publish it, cross-checked with the tables of the nfephp-org/sped-nfe project (storage/
 * wsnfe_4.00_mod65.xml, storage/uri_consulta_nfce.json). SP is as the SEFAZ-SP portal prints it.
 * States without an entry are refused rather than guessed: add them here from their portal.
 */
const addresses: Partial<Record<Uf, Record<NfceEnvironment, NfceAddresses>>> = {
  SP: {
    '1': {
      qrCode: 'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx',
      urlChave: 'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica',
    },
    '2': {
      qrCode:
        'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx',
      urlChave: 'https://www.homologacao.nfce.fazenda.sp.gov.br/NFCeConsultaPublica',
    },
  },
  // PR publishes one address for both environments.
  PR: {
    '1': {
      qrCode: 'http://www.fazenda.pr.gov.br/nfce/qrcode',
      urlChave: 'http://www.fazenda.pr.gov.br/nfce/consulta',
    },
    '2': {
      qrCode: 'http://www.fazenda.pr.gov.br/nfce/qrcode',
      urlChave: 'http://www.fazenda.pr.gov.br/nfce/consulta',
    },
  },
  SC: {
    '1': {
      qrCode: 'https://sat.sef.sc.gov.br/nfce/consulta',
      urlChave: 'https://sat.sef.sc.gov.br/nfce/consulta',
    },
    '2': {
      qrCode: 'https://hom.sat.sef.sc.gov.br/nfce/consulta',
      urlChave: 'https://hom.sat.sef.sc.gov.br/nfce/consulta',
    },
  },
  // RS (and the SVRS states) answer the QR code of both environments on one page.
  RS: {
    '1': {
      qrCode: 'https://www.sefaz.rs.gov.br/NFCE/NFCE-COM.aspx',
      urlChave: 'http://www.sefaz.rs.gov.br/nfce/consulta',
    },
    '2': {
      qrCode: 'https://www.sefaz.rs.gov.br/NFCE/NFCE-COM.aspx',
      urlChave: 'http://www.sefaz.rs.gov.br/nfce/consulta',
    },
  },
  MG: {
    '1': {
      qrCode: 'https://portalsped.fazenda.mg.gov.br/portalnfce/sistema/qrcode.xhtml',
      urlChave: 'https://portalsped.fazenda.mg.gov.br/portalnfce',
    },
    '2': {
      qrCode: 'https://hportalsped.fazenda.mg.gov.br/portalnfce/sistema/qrcode.xhtml',
      urlChave: 'https://hportalsped.fazenda.mg.gov.br/portalnfce',
    },
  },
  // RJ publishes one address for both environments.
  RJ: {
    '1': {
      qrCode: 'http://www4.fazenda.rj.gov.br/consultaNFCe/QRCode',
      urlChave: 'http://www.fazenda.rj.gov.br/nfce/consulta',
    },
    '2': {
      qrCode: 'http://www4.fazenda.rj.gov.br/consultaNFCe/QRCode',
      urlChave: 'http://www.fazenda.rj.gov.br/nfce/consulta',
    },
  },
};

/** The states this table knows, for a settings screen or a check at store set-up. */
export const nfceStates = Object.keys(addresses) as Uf[];

export function nfceAddresses(state: string, environment: NfceEnvironment): Result<NfceAddresses> {
  const entry = addresses[state as Uf]?.[environment];
  if (!entry)
    return fail(
      'invalid',
      'FISCAL.NFCE_STATE_UNSUPPORTED',
      `Não há endereços de consulta da NFC-e cadastrados para a UF ${state}.`,
      { data: { state, supported: nfceStates } },
    );
  return ok(entry);
}

export interface QrCodeV2Input {
  readonly accessKey: string;
  readonly environment: NfceEnvironment;
  /** cIdToken: the CSC's id at SEFAZ, 1–6 digits ('000001'). */
  readonly cscId: string;
  /** The CSC itself, 16–36 alphanumerics. */
  readonly csc: string;
  /** The emitter's state, which must be the key's cUF. */
  readonly state: string;
}

const CSC = /^[A-Za-z0-9]{16,36}$/;
const CSC_ID = /^[0-9]{1,6}$/;

/**
 * The QR code version 2 of an NFC-e issued online (NT 2015.002 v1.50+, "QR Code versão 2"):
 * `<address>?p=<chave>|2|<tpAmb>|<cIdToken>|<cHashQRCode>`, cIdToken without leading zeros and
 * cHashQRCode the SHA-1, in uppercase hex, of `<chave>|2|<tpAmb>|<cIdToken>` followed by the CSC.
 */
export function qrCodeV2Online(input: QrCodeV2Input): Result<NfceSupplement> {
  const checked = checkQrInput(input, 'online');
  if (!checked.ok) return checked;
  const payload = `${input.accessKey}|2|${input.environment}|${Number(input.cscId)}`;
  return ok({
    qrCode: `${checked.value.qrCode}?p=${payload}|${qrHash(payload, input.csc)}`,
    urlChave: checked.value.urlChave,
  });
}

export interface QrCodeV2OfflineInput extends QrCodeV2Input {
  /** dhEmi as written in the XML (Brasília time): the QR code carries its day of the month. */
  readonly issuedAtText: string;
  /** vNF, "307.72". */
  readonly total: string;
  /** The signature's DigestValue (base64) of the signed infNFe. */
  readonly digestValue: string;
}

/**
 * The QR code version 2 of an NFC-e issued in offline contingency (tpEmis 9; NT 2015.002 v1.50+,
 * "QR Code versão 2 – emissão em contingência off-line"): the consumer cannot look the key up until it
 * is transmitted, so the code carries what proves the receipt on its own:
 * `<address>?p=<chave>|2|<tpAmb>|<dia de dhEmi>|<vNF>|<digVal>|<cIdToken>|<cHashQRCode>`, with the day
 * as two digits, digVal the DigestValue's characters in hexadecimal (28 base64 characters → 56 hex
 * digits) and cHashQRCode the SHA-1, in uppercase hex, of everything before it followed by the CSC.
 */
export function qrCodeV2Offline(input: QrCodeV2OfflineInput): Result<NfceSupplement> {
  const checked = checkQrInput(input, 'offline');
  if (!checked.ok) return checked;
  const day = /^\d{4}-\d{2}-(\d{2})T/.exec(input.issuedAtText)?.[1];
  const problems: { path: string; message: string }[] = [];
  if (!day) problems.push({ path: 'issuedAt', message: 'dhEmi não está no formato AAAA-MM-DDThh:mm:ssTZD' });
  if (!/^(0|0\.[0-9]{2}|[1-9][0-9]{0,12}(\.[0-9]{2})?)$/.test(input.total))
    problems.push({ path: 'total', message: 'vNF com duas casas decimais' });
  if (!/^[A-Za-z0-9+/]{27}=$/.test(input.digestValue))
    problems.push({ path: 'digestValue', message: 'o DigestValue SHA-1 tem 28 caracteres base64' });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.QR_CODE_INVALID', 'Dados do QR Code de contingência inválidos.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.QR_CODE_INVALID' })),
    });
  const digest = Buffer.from(input.digestValue, 'latin1').toString('hex').toUpperCase();
  const payload = `${input.accessKey}|2|${input.environment}|${day}|${input.total}|${digest}|${Number(input.cscId)}`;
  return ok({
    qrCode: `${checked.value.qrCode}?p=${payload}|${qrHash(payload, input.csc)}`,
    urlChave: checked.value.urlChave,
  });
}

/** cHashQRCode: SHA-1 of the payload followed by the CSC, uppercase hex. */
const qrHash = (payload: string, csc: string) =>
  createHash('sha1')
    .update(payload + csc, 'utf8')
    .digest('hex')
    .toUpperCase();

/** The CSC, the key (an NFC-e of the state, online or offline as the form wants) and the state's addresses. */
function checkQrInput(input: QrCodeV2Input, form: 'online' | 'offline'): Result<NfceAddresses> {
  const problems: { path: string; message: string }[] = [];
  if (!CSC.test(input.csc)) problems.push({ path: 'csc', message: 'o CSC tem de 16 a 36 letras ou dígitos' });
  if (!CSC_ID.test(input.cscId))
    problems.push({ path: 'cscId', message: 'o identificador do CSC tem de 1 a 6 dígitos' });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.CSC_INVALID', 'O CSC da NFC-e está mal configurado.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.CSC_INVALID' })),
    });

  const key = parseAccessKey(input.accessKey);
  if (!key.ok) return key;
  const offline = key.value.emissionType === OFFLINE_CONTINGENCY;
  const keyProblem =
    key.value.model !== '65'
      ? 'a chave não é de uma NFC-e (modelo 65)'
      : // tpEmis 9 (offline contingency) takes the offline form of the QR code, with dhEmi, vNF and digVal.
        form === 'online' && ![1, 3, 4].includes(key.value.emissionType)
        ? `a emissão ${key.value.emissionType} não é online`
        : form === 'offline' && !offline
          ? `a emissão ${key.value.emissionType} não é contingência off-line (9)`
          : key.value.stateCode !== stateCodes[input.state as Uf]
            ? `a chave não é da UF ${input.state}`
            : undefined;
  if (keyProblem)
    return fail('invalid', 'FISCAL.ACCESS_KEY_INVALID', 'Chave de acesso inválida para o QR Code.', {
      errors: [{ path: 'accessKey', code: 'FISCAL.ACCESS_KEY_INVALID', message: keyProblem }],
    });
  return nfceAddresses(input.state, input.environment);
}

/**
 * Puts `<infNFeSupl>` right after `</infNFe>`, where nfe_v4.00.xsd wants it (infNFe, infNFeSupl,
 * Signature). The supplement is outside the signed infNFe, so adding it to a signed NF-e keeps the
 * signature valid — and that is the order to use: `signFiscalXml` puts the Signature right after
 * `</infNFe>`, so signing after this would leave the Signature before the supplement.
 *
 * The schema checks the value of qrCode against its patterns, so escaping is enough and CDATA is not
 * needed; a version 2 content has no `&` anyway. A document without infNFe, or with a supplement
 * already, is a bug in the caller: it throws.
 */
export function withSupplement(nfeXml: string, supplement: NfceSupplement): string {
  const end = '</infNFe>';
  const at = nfeXml.indexOf(end);
  if (at < 0 || nfeXml.indexOf(end, at + 1) >= 0) throw new Error('Expected one </infNFe> in the NF-e');
  if (nfeXml.includes('<infNFeSupl>')) throw new Error('The NF-e already has an infNFeSupl');
  const group =
    `<infNFeSupl><qrCode>${escapeXml(supplement.qrCode)}</qrCode>` +
    `<urlChave>${escapeXml(supplement.urlChave)}</urlChave></infNFeSupl>`;
  const after = at + end.length;
  return nfeXml.slice(0, after) + group + nfeXml.slice(after);
}

/**
 * The model 65 rules of the MOC 7.0 validations that the schema cannot express, checked before the
 * document is built so the cashier sees them instead of a rejection.
 */
export function checkNfceDocument(doc: FiscalDocument): Result<void> {
  const problems: { path: string; message: string }[] = [];
  if (doc.model !== '65') problems.push({ path: 'model', message: 'NFC-e é o modelo 65' });
  // Rejection 716: NFC-e em operação não destinada a consumidor final.
  if (!doc.finalConsumer) problems.push({ path: 'finalConsumer', message: 'NFC-e só para consumidor final' });
  // Rejection 717: NFC-e em operação não presencial (1 in person, 4 delivery).
  if (doc.presence !== '1' && doc.presence !== '4')
    problems.push({ path: 'presence', message: 'NFC-e só em venda presencial ou entrega em domicílio' });
  if (doc.destination !== '1')
    problems.push({ path: 'destination', message: 'NFC-e só em operação interna' });
  if (doc.recipient && doc.recipient.stateRegistrationIndicator !== '9')
    problems.push({
      path: 'recipient/stateRegistrationIndicator',
      message: 'consumidor de NFC-e é não contribuinte',
    });
  doc.payments.forEach((p, i) => {
    // Rejection 391: card payments (tPag 03, 04) without the card group.
    if ((p.method === '03' || p.method === '04') && !p.card)
      problems.push({ path: `payments/${i}/card`, message: 'pagamento com cartão exige os dados do cartão' });
  });
  if (problems.length > 0)
    return fail('invalid', 'FISCAL.DOCUMENT_INVALID', 'A NFC-e não segue as regras do modelo 65.', {
      errors: problems.map((p) => ({ ...p, code: 'FISCAL.DOCUMENT_INVALID' })),
    });
  return ok(undefined);
}
