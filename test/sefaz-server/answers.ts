/**
 * What the test SEFAZ answers to a message that passed the SOAP layer: the schema (215/225), the
 * routing checks (environment 252, state 226/289, SVC 570/713), the transmitter's CNPJ root, then the
 * simulator's rules (sefaz-simulator.ts: signature, key, dates, duplicates 204/539, events, consult,
 * status, voiding 102/201/206/224/241/256/453/563), wrapped in the service's `ret*` answer in the XSDs'
 * element order. Denials (110/301/302, then 205 and 580) and the asynchronous receipts
 * (103/105/104/106/248) are kept here.
 */
import {
  createMemorySimulatorStore,
  createSefazSimulator,
} from '../../src/fiscal/authorizer/sefaz-simulator.ts';
import {
  brasiliaDateTime,
  certificateCnpj,
  childText,
  NFE_NAMESPACE,
  parseXml,
  type SchemaName,
  validateXml,
  verifySignature,
} from '../../src/fiscal/xml/index.ts';
import { type Route, services, stateCodes } from './soap.ts';

/** xMotivo of the codes this layer answers itself, as sped-nfe's storage/cstat.json words them. */
const reasons: Record<number, string> = {
  101: 'Cancelamento de NF-e homologado',
  102: 'Inutilização de número homologado',
  103: 'Lote recebido com sucesso',
  104: 'Lote processado',
  105: 'Lote em processamento',
  106: 'Lote não localizado',
  108: 'Serviço Paralisado Momentaneamente (curto prazo)',
  109: 'Serviço Paralisado sem Previsão',
  110: 'Uso Denegado',
  128: 'Lote de Evento Processado',
  205: 'NF-e está denegada na base de dados da SEFAZ',
  206: 'Rejeição: NF-e já está inutilizada na Base de dados da SEFAZ',
  213: 'Rejeição: CNPJ-Base do Emitente difere do CNPJ-Base do Certificado Digital',
  215: 'Rejeição: Falha no schema XML',
  217: 'Rejeição: NF-e não consta na base de dados da SEFAZ',
  224: 'Rejeição: A faixa inicial é maior que a faixa final',
  225: 'Rejeição: Falha no Schema XML do lote de NFe',
  226: 'Rejeição: Código da UF do Emitente diverge da UF autorizadora',
  241: 'Rejeição: Um número da faixa já foi utilizado',
  248: 'Rejeição: UF do Recibo diverge da UF autorizadora',
  252: 'Rejeição: Ambiente informado diverge do Ambiente de recebimento',
  256: 'Rejeição: Uma NF-e da faixa já está inutilizada na Base de dados da SEFAZ',
  289: 'Rejeição: Código da UF informada diverge da UF solicitada',
  297: 'Rejeição: Assinatura difere do calculado',
  301: 'Uso Denegado: Irregularidade fiscal do emitente',
  302: 'Uso Denegado: Irregularidade fiscal do destinatário',
  453: 'Rejeição: Ano de inutilização não pode ser superior ao Ano atual',
  563: 'Rejeição: Já existe pedido de Inutilização com a mesma faixa de inutilização',
  570: 'Rejeição: Tipo de Emissão 3, 6 ou 7 só é válido nas contingências SCAN/SVC',
  580: 'Rejeição: O evento exige uma NF-e autorizada',
  713: 'Rejeição: Tipo de Emissão diferente de 6 ou 7 para contingência da SVC acessada',
  764: 'Rejeição: Solicitada resposta síncrona para Lote com mais de uma NF-e (indSinc=1)',
};

/** TVerAplic: 1 to 20 characters. */
export const VER_APLIC = 'OMNIHUB-SEFAZ-TESTE';

/** What a call asks of the semantics beyond the normal (see `Behaviour` in index.ts). */
export type SemanticBehaviour =
  /** NFeAutorizacao4 answers 103 + nRec (even for indSinc 1); NFeRetAutorizacao4 105 `pending` times, then 104. */
  | { async: { tMed: number; pending: number } }
  /** NFeAutorizacao4 denies: protNFe with that cStat and an nProt; the number is used up (205 on resend). */
  | { deny: 110 | 301 | 302 }
  /** The call is answered with that cStat in its ret* (a batch cStat for NFeAutorizacao4): paralysed. */
  | { status: 108 | 109 };

export interface Answer {
  readonly xml: string;
  /** The answer's cStat; `itemStatus` that of its protNFe / retEvento, when it has one. */
  readonly cStat: number;
  readonly itemStatus?: number;
}

export interface CallContext {
  readonly route: Route;
  /** The CNPJ in the client certificate's CN (ICP-Brasil e-CNPJ). */
  readonly clientCnpj: string | undefined;
  readonly behaviour?: SemanticBehaviour;
}

interface Receipt {
  readonly authoriser: string;
  readonly cUF: string;
  pending: number;
  readonly protNFe: string[];
}

/** Answers carry this server's verAplic, not the simulator's whose rules it runs. */
const ownVersion = (xml: string) =>
  xml.replace(/<verAplic>[^<]*<\/verAplic>/g, `<verAplic>${VER_APLIC}</verAplic>`);
const protNfeOf = (xml: string) => ownVersion(/<protNFe[\s\S]*<\/protNFe>/.exec(xml)?.[0] ?? '');
const retEventoOf = (xml: string) => ownVersion(/<retEvento[\s\S]*<\/retEvento>/.exec(xml)?.[0] ?? '');
const tag = (name: string, value: string | number | undefined) =>
  value === undefined || value === '' ? '' : `<${name}>${value}</${name}>`;
const isSvc = (authoriser: string) => authoriser === 'SVCAN' || authoriser === 'SVCRS';

export function createSefazCore(clock: () => Date) {
  const store = createMemorySimulatorStore();
  const simulator = createSefazSimulator({ clock, store });
  const denied = new Map<string, { status: number; protNFe: string }>();
  const events = new Map<string, string[]>();
  const receipts = new Map<string, Receipt>();

  async function handle(message: string, ctx: CallContext): Promise<Answer> {
    const { route } = ctx;
    const schema = services[route.service].message as SchemaName;
    const doc = parseXml(message);
    const valid = doc && (await validateXml(message, schema)).ok;
    const env = route.environment === 'producao' ? '1' : '2';
    const now = clock();
    const uf = stateCodes[route.authoriser];
    const text = (name: string) => (doc ? (childText(doc, name) ?? '') : '');
    const cUF = text('cUF') || text('chNFe').slice(0, 2) || text('cOrgao') || uf || '35';
    /** The common run of a ret*: tpAmb, verAplic, [nRec,] cStat, xMotivo, cUF, dhRecbto, then `tail`. */
    const head = (cStat: number, tail = '', reason = reasons[cStat], nRec = '') =>
      `${tag('tpAmb', text('tpAmb') || env)}${tag('verAplic', VER_APLIC)}${tag('nRec', nRec)}${tag('cStat', cStat)}` +
      `${tag('xMotivo', reason)}${tag('cUF', cUF)}${tag('dhRecbto', brasiliaDateTime(now))}${tail}`;
    const wrap = (root: string, body: string) =>
      `<${root} versao="4.00" xmlns="${NFE_NAMESPACE}">${body}</${root}>`;
    const receiptAnswer = (cStat: number, nRec: string, tail = '') =>
      wrap('retConsReciNFe', head(cStat, tail, reasons[cStat], nRec));
    const eventAnswer = (cStat: number, retEvento: string) =>
      `<retEnvEvento versao="1.00" xmlns="${NFE_NAMESPACE}">${tag('idLote', text('idLote') || '0')}` +
      `${tag('tpAmb', text('tpAmb') || env)}${tag('verAplic', VER_APLIC)}${tag('cOrgao', text('cOrgao') || cUF)}` +
      `${tag('cStat', cStat)}${tag('xMotivo', reasons[cStat])}${retEvento}</retEnvEvento>`;
    const inutAnswer = (cStat: number, nProt?: string, reason = reasons[cStat]) =>
      `<retInutNFe versao="4.00" xmlns="${NFE_NAMESPACE}"><infInut${nProt ? ` Id="ID${nProt}"` : ''}>` +
      `${tag('tpAmb', text('tpAmb') || env)}${tag('verAplic', VER_APLIC)}${tag('cStat', cStat)}` +
      `${tag('xMotivo', reason)}${tag('cUF', cUF)}` +
      ['ano', 'CNPJ', 'mod', 'serie', 'nNFIni', 'nNFFin'].map((n) => tag(n, text(n))).join('') +
      `${tag('dhRecbto', brasiliaDateTime(now))}${tag('nProt', nProt)}</infInut></retInutNFe>`;
    /** The service's answer with only a cStat: a rejection of the whole message, or 108/109. */
    const refuse = (cStat: number): Answer => {
      const nRec = /^[0-9]{15}$/.test(text('nRec')) ? text('nRec') : '0'.repeat(15);
      // 108: back shortly (dhRetorno); 109: without forecast.
      const back =
        cStat === 108 && route.service === 'NFeStatusServico4'
          ? tag('dhRetorno', brasiliaDateTime(new Date(now.getTime() + 1_800_000)))
          : '';
      const xml = {
        NFeAutorizacao4: 'retEnviNFe',
        NFeRetAutorizacao4: receiptAnswer(cStat, nRec),
        NFeConsultaProtocolo4: 'retConsSitNFe',
        NFeRecepcaoEvento4: eventAnswer(cStat, ''),
        NFeInutilizacao4: inutAnswer(cStat),
        NFeStatusServico4: 'retConsStatServ',
      }[route.service];
      const chNFe =
        route.service === 'NFeConsultaProtocolo4' ? tag('chNFe', text('chNFe') || '0'.repeat(44)) : '';
      return { cStat, xml: xml.startsWith('<') ? xml : wrap(xml, head(cStat, chNFe + back)) };
    };

    if (!doc || !valid) return refuse(route.service === 'NFeAutorizacao4' ? 225 : 215);
    if (route.service !== 'NFeAutorizacao4' && text('tpAmb') !== env) return refuse(252);
    if (ctx.behaviour && 'status' in ctx.behaviour) return refuse(ctx.behaviour.status);
    /**
     * 297 for a signature that does not verify; 213 for a signer of another company than `cnpj` or than
     * the transmitter (the client certificate: stricter than SEFAZ, which lets an accountant transmit).
     */
    const signerProblem = (xml: string, element: 'infEvento' | 'infInut', cnpj: string) => {
      const signature = verifySignature(xml, element);
      if (!signature.ok) return 297;
      const root = certificateCnpj(signature.value.certificateSubject)?.slice(0, 8);
      return root !== cnpj.slice(0, 8) || root !== ctx.clientCnpj?.slice(0, 8) ? 213 : undefined;
    };

    switch (route.service) {
      case 'NFeAutorizacao4': {
        const nfes = Array.from(doc.getElementsByTagNameNS(NFE_NAMESPACE, 'NFe'));
        const synchronous = text('indSinc') === '1' && !(ctx.behaviour && 'async' in ctx.behaviour);
        if (text('indSinc') === '1' && nfes.length > 1) return refuse(764);
        const protNFe: string[] = [];
        for (const nfe of nfes) protNFe.push(await authorise(nfe.toString(), ctx, now));
        const itemStatus = Number(/<cStat>(\d+)<\/cStat>/.exec(protNFe[0] ?? '')?.[1]);
        if (synchronous)
          return { cStat: 104, itemStatus, xml: wrap('retEnviNFe', head(104, protNFe.join(''))) };
        const nRec = `${cUF}${String(await store.nextSequence()).padStart(13, '0')}`;
        const asked =
          ctx.behaviour && 'async' in ctx.behaviour ? ctx.behaviour.async : { tMed: 1, pending: 0 };
        receipts.set(nRec, { authoriser: route.authoriser, cUF, pending: asked.pending, protNFe });
        const infRec = `<infRec>${tag('nRec', nRec)}${tag('tMed', asked.tMed)}</infRec>`;
        return { cStat: 103, xml: wrap('retEnviNFe', head(103, infRec)) };
      }
      case 'NFeRetAutorizacao4': {
        const nRec = text('nRec');
        const receipt = receipts.get(nRec);
        if (!receipt) return refuse(106);
        if (receipt.authoriser !== route.authoriser) return refuse(248);
        if (receipt.pending > 0) {
          receipt.pending -= 1;
          return { cStat: 105, xml: receiptAnswer(105, nRec) };
        }
        const itemStatus = Number(/<cStat>(\d+)<\/cStat>/.exec(receipt.protNFe[0] ?? '')?.[1]);
        return {
          cStat: 104,
          itemStatus,
          xml: receiptAnswer(104, nRec, receipt.protNFe.join('')),
        };
      }
      case 'NFeConsultaProtocolo4': {
        const key = text('chNFe');
        const denial = denied.get(key);
        const body = (cStat: number, rest: string, reason = reasons[cStat]): Answer => ({
          cStat,
          xml: wrap('retConsSitNFe', head(cStat, tag('chNFe', key) + rest, reason)),
        });
        if (denial) return body(denial.status, denial.protNFe);
        const found = await simulator.consult(key);
        if (found.outcome === 'not_found') return refuse(217);
        if (found.outcome !== 'authorized') return refuse(found.status);
        const rest = protNfeOf(found.nfeProcXml) + (events.get(key) ?? []).join('');
        return found.cancelledProtocol ? body(101, rest) : body(found.status, rest, found.reason);
      }
      case 'NFeRecepcaoEvento4': {
        const key = text('chNFe');
        let retEvento: string;
        const problem = signerProblem(message, 'infEvento', text('CNPJ') || text('CPF'));
        if (problem) retEvento = rejectedEvent(problem);
        else if (denied.has(key)) retEvento = rejectedEvent(580);
        else {
          const result = await simulator.registerEvent(message);
          if (result.outcome === 'registered') {
            events.set(key, [...(events.get(key) ?? []), ownVersion(result.procEventoXml)]);
            retEvento = retEventoOf(result.procEventoXml);
          } else retEvento = rejectedEvent(result.status, result.reason);
        }
        const itemStatus = Number(/<cStat>(\d+)<\/cStat>/.exec(retEvento)?.[1]);
        return { cStat: 128, itemStatus, xml: eventAnswer(128, retEvento) };
      }
      case 'NFeInutilizacao4': {
        const problem = signerProblem(message, 'infInut', text('CNPJ'));
        if (problem) return refuse(problem);
        if (uf && text('cUF') !== uf) return refuse(226);
        // The range rules (102, 201, 224, 241, 256, 453, 563) are the simulator's.
        const result = await simulator.voidRange(message);
        return result.outcome === 'voided'
          ? { cStat: 102, xml: inutAnswer(102, result.protocol) }
          : { cStat: result.status, xml: inutAnswer(result.status, undefined, result.reason) };
      }
      case 'NFeStatusServico4': {
        if (uf && text('cUF') !== uf) return refuse(289);
        const status = await simulator.status(route.model === '55' ? 55 : 65);
        const tMed = status.averageSeconds ?? 1;
        return {
          cStat: status.status,
          xml: wrap('retConsStatServ', head(status.status, tag('tMed', tMed), status.reason)),
        };
      }
    }

    function rejectedEvent(cStat: number, reason = reasons[cStat]): string {
      return (
        `<retEvento versao="1.00"><infEvento>${tag('tpAmb', text('tpAmb'))}${tag('verAplic', VER_APLIC)}` +
        `${tag('cOrgao', text('cOrgao'))}${tag('cStat', cStat)}${tag('xMotivo', reason)}${tag('chNFe', text('chNFe'))}` +
        `${tag('tpEvento', text('tpEvento'))}${tag('nSeqEvento', text('nSeqEvento'))}` +
        `${tag('dhRegEvento', brasiliaDateTime(now))}</infEvento></retEvento>`
      );
    }
  }

  /** One NF-e of a batch: its `<protNFe>`, authorised, denied or rejected. */
  async function authorise(nfe: string, ctx: CallContext, now: Date): Promise<string> {
    const doc = parseXml(nfe)!;
    const field = (name: string) => childText(doc, name) ?? '';
    const key = (doc.getElementsByTagNameNS(NFE_NAMESPACE, 'infNFe')[0]?.getAttribute('Id') ?? '').slice(3);
    const { route } = ctx;
    const rejected = (cStat: number, reason = reasons[cStat]) =>
      `<protNFe versao="4.00"><infProt>${tag('tpAmb', field('tpAmb'))}${tag('verAplic', VER_APLIC)}` +
      `${tag('chNFe', key)}${tag('dhRecbto', brasiliaDateTime(now))}${tag('cStat', cStat)}` +
      `${tag('xMotivo', reason)}</infProt></protNFe>`;
    const emissionType = field('tpEmis');
    if (field('tpAmb') !== (route.environment === 'producao' ? '1' : '2')) return rejected(252);
    if (stateCodes[route.authoriser] && stateCodes[route.authoriser] !== field('cUF')) return rejected(226);
    // SVC-AN takes tpEmis 6, SVC-RS tpEmis 7; the states' own authorisers neither (MOC 7.0 §5, 570/713).
    if (isSvc(route.authoriser) && emissionType !== (route.authoriser === 'SVCAN' ? '6' : '7'))
      return rejected(713);
    if (!isSvc(route.authoriser) && (emissionType === '6' || emissionType === '7')) return rejected(570);
    const signature = verifySignature(nfe, 'infNFe');
    if (
      signature.ok &&
      certificateCnpj(signature.value.certificateSubject)?.slice(0, 8) !== ctx.clientCnpj?.slice(0, 8)
    )
      return rejected(213);
    const denial = denied.get(key);
    if (denial) return rejected(205, `${reasons[205]} [nProt:${/<nProt>(\d+)/.exec(denial.protNFe)?.[1]}]`);

    const result = await simulator.authorize(nfe);
    if (result.outcome === 'rejected') return rejected(result.status, result.reason);
    let protNFe = protNfeOf(result.nfeProcXml);
    if (isSvc(route.authoriser)) {
      // The SVC's own protocol series: SVC-AN is run by the Receita Federal (1st digit 2), SVC-RS by SEFAZ-RS.
      const prefix = route.authoriser === 'SVCAN' ? `2${field('cUF')}` : '143';
      const protocol = prefix + result.protocol.slice(3);
      protNFe = protNFe.replace(`<nProt>${result.protocol}</nProt>`, `<nProt>${protocol}</nProt>`);
      const record = (await store.byKey(key))!;
      await store.save({
        ...record,
        protocol,
        nfeProcXml: result.nfeProcXml.replace(
          `<nProt>${result.protocol}</nProt>`,
          `<nProt>${protocol}</nProt>`,
        ),
      });
    }
    const deny = ctx.behaviour && 'deny' in ctx.behaviour ? ctx.behaviour.deny : undefined;
    if (deny) {
      protNFe = protNFe.replace(
        /<cStat>100<\/cStat><xMotivo>[^<]*<\/xMotivo>/,
        `<cStat>${deny}</cStat><xMotivo>${reasons[deny]}</xMotivo>`,
      );
      denied.set(key, { status: deny, protNFe });
    }
    return protNFe;
  }

  return { handle, store };
}
