import {
  assertPdf,
  type CarrierResponse,
  type CarrierTicketOptions,
  carrierRequest,
  moneyOfCarrier,
  objectOf,
  ticketingOf,
  unexpected,
} from '../http.ts';
import {
  type Carrier,
  CarrierFault,
  type CarrierLabel,
  type CarrierRefusal,
  type CreatedShipment,
  type Parcel,
  type Quote,
  type QuoteRequest,
  type ShipmentParty,
  type ShipmentRequest,
  type TrackedShipment,
  type TrackingEvent,
} from '../port.ts';
import { sroEventId, sroInstant, sroStatus } from './events.ts';

/**
 * The "API Correios" (CWS, api.correios.com.br), as its catalogue documents it:
 * - token: `POST /token/v1/autentica/cartaopostagem`, HTTP Basic (user : access code), body
 *   `{numero: <cartão de postagem>}` → `{token, expiraEm, zoneOffset, cartaoPostagem, …}`; the token is kept
 *   until a minute before `expiraEm` and dropped on a 401;
 * - price `GET /preco/v1/nacional/{coProduto}` and term `GET /prazo/v1/nacional/{coProduto}`;
 * - pre-postagem `POST /prepostagem/v1/prepostagens` → `{id, codigoObjeto, …}`; cancel `DELETE …/{id}`;
 * - label, asynchronous: `POST /prepostagem/v1/prepostagens/rotulo/assincrono/pdf` → `{idRecibo}`, then
 *   `GET /prepostagem/v1/prepostagens/rotulo/download/assincrono/{idRecibo}` → `{nome, dados: base64 PDF}`;
 * - tracking `GET /srorastro/v1/objetos?codigosObjetos=…&resultado=T` → `objetos[].eventos[]`.
 * Errors come as `{msgs: [...]}` with a 4xx: a refusal of the request; 401/403 and 5xx are faults.
 */
export const CORREIOS_BASE_URL = 'https://api.correios.com.br';
export const CORREIOS_HOMOLOGATION_URL = 'https://apihom.correios.com.br';
export const CORREIOS_TRACKING_URL = 'https://rastreamento.correios.com.br/app/index.php?objetos=';

/** The contract services most stores post with; an account may name others. */
export const correiosServiceNames: Readonly<Record<string, string>> = {
  '03220': 'SEDEX',
  '03298': 'PAC',
  '03140': 'SEDEX 12',
  '03158': 'SEDEX 10',
  '04227': 'Correios Mini Envios',
};

export interface CorreiosSettings {
  readonly baseUrl: string;
  /** Número do cartão de postagem. */
  readonly postingCard: string;
  readonly contract: string;
  /** Diretoria regional. */
  readonly dr: number;
  /** The services quoted when the request names none. */
  readonly services: readonly string[];
}

export interface CorreiosCredentials {
  readonly user: string;
  readonly accessCode: string;
}

export interface CorreiosOptions extends CarrierTicketOptions {
  readonly timeoutMs?: number;
  readonly clock?: () => Date;
  /** How long to wait before asking again for a label still being generated. */
  readonly labelRetryAfterMs?: number;
}

/** A token is renewed this long before Correios says it expires. */
const TOKEN_MARGIN_MS = 60_000;
/** Refusals come with these statuses and `{msgs}`; the rest of the 4xx range is a fault. */
const REFUSALS = [400, 404, 422];

export function createCorreiosCarrier(
  settings: CorreiosSettings,
  credentials: CorreiosCredentials,
  options: CorreiosOptions = {},
): Carrier {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const clock = options.clock ?? (() => new Date());
  const base = settings.baseUrl.replace(/\/+$/, '');
  const ticket = ticketingOf('correios', options);
  let token: { value: string; until: number } | null = null;
  /** The label receipt (idRecibo) asked for each pre-postagem, so polling does not ask again. */
  const receipts = new Map<string, string>();

  async function authenticate(operation: string): Promise<string> {
    if (token && token.until > clock().getTime()) return token.value;
    const basic = Buffer.from(`${credentials.user}:${credentials.accessCode}`).toString('base64');
    const res = await carrierRequest({
      operation,
      method: 'POST',
      url: `${base}/token/v1/autentica/cartaopostagem`,
      headers: { authorization: `Basic ${basic}` },
      body: { numero: settings.postingCard },
      timeoutMs,
      ticket,
    });
    const body = objectOf(operation, res.json, 'a token');
    const expires = typeof body.expiraEm === 'string' ? body.expiraEm : '';
    const zone = typeof body.zoneOffset === 'string' ? body.zoneOffset : '-03:00';
    const at = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(expires) ? expires : `${expires}${zone}`);
    if (typeof body.token !== 'string' || !body.token || Number.isNaN(at.getTime()))
      throw unexpected(operation, 'a token with expiraEm');
    token = { value: body.token, until: at.getTime() - TOKEN_MARGIN_MS };
    return token.value;
  }

  /** A call with the token; a 401 drops it and tries once more with a new one (it may have been revoked). */
  async function call(
    operation: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    passStatuses: readonly number[] = REFUSALS,
  ): Promise<CarrierResponse> {
    for (let attempt = 0; ; attempt++) {
      const bearer = await authenticate(operation);
      try {
        return await carrierRequest({
          operation,
          method,
          url: `${base}${path}`,
          headers: { authorization: `Bearer ${bearer}` },
          body,
          timeoutMs,
          passStatuses,
          ticket,
        });
      } catch (error) {
        if (attempt === 0 && error instanceof CarrierFault && error.kind === 'unauthorized') {
          token = null;
          continue;
        }
        throw error;
      }
    }
  }

  function refusal(res: CarrierResponse): CarrierRefusal {
    const body = res.json as { msgs?: unknown; mensagem?: unknown } | undefined;
    const msgs = Array.isArray(body?.msgs) ? body.msgs.map(String) : [];
    const message = msgs.join(' ') || (typeof body?.mensagem === 'string' ? body.mensagem : '');
    return { refused: true, code: String(res.status), message: message || `HTTP ${res.status}` };
  }

  async function quoteOne(service: string, req: QuoteRequest): Promise<Quote | CarrierRefusal> {
    const parcel = combined(req.parcels);
    const price = new URLSearchParams({
      cepOrigem: req.fromPostalCode,
      cepDestino: req.toPostalCode,
      psObjeto: String(parcel.weightGrams),
      tpObjeto: '2',
      comprimento: String(parcel.lengthCm),
      largura: String(parcel.widthCm),
      altura: String(parcel.heightCm),
      nuContrato: settings.contract,
      nuDR: String(settings.dr),
    });
    const p = await call('quote', 'GET', `/preco/v1/nacional/${encodeURIComponent(service)}?${price}`);
    if (p.status !== 200) return refusal(p);
    const priceBody = objectOf('quote', p.json, 'a price');
    if (typeof priceBody.txErro === 'string' && priceBody.txErro)
      return { refused: true, code: 'txErro', message: priceBody.txErro };
    const amount = typeof priceBody.pcFinal === 'string' ? moneyOfCarrier(priceBody.pcFinal, true) : null;
    if (amount === null) throw unexpected('quote', 'pcFinal as "25,50"');
    const term = new URLSearchParams({ cepOrigem: req.fromPostalCode, cepDestino: req.toPostalCode });
    const t = await call('quote', 'GET', `/prazo/v1/nacional/${encodeURIComponent(service)}?${term}`);
    if (t.status !== 200) return refusal(t);
    const termBody = objectOf('quote', t.json, 'a term');
    if (typeof termBody.txErro === 'string' && termBody.txErro)
      return { refused: true, code: 'txErro', message: termBody.txErro };
    const days = Number(termBody.prazoEntrega);
    if (!Number.isInteger(days) || days < 0) throw unexpected('quote', 'prazoEntrega');
    return { service, serviceName: correiosServiceNames[service] ?? service, price: amount, days };
  }

  return {
    adapter: 'correios',

    async quote(req) {
      const services = req.service ? [req.service] : settings.services;
      const quotes: Quote[] = [];
      let lastRefusal: CarrierRefusal | null = null;
      for (const service of services) {
        const q = await quoteOne(service, req);
        if ('refused' in q) lastRefusal = q;
        else quotes.push(q);
      }
      if (quotes.length === 0 && lastRefusal) return lastRefusal;
      return quotes;
    },

    async createShipment(req): Promise<CreatedShipment | CarrierRefusal> {
      const res = await call('createShipment', 'POST', '/prepostagem/v1/prepostagens', prePostagem(req));
      if (res.status !== 200 && res.status !== 201) return refusal(res);
      const body = objectOf('createShipment', res.json, 'a pre-postagem');
      if (typeof body.id !== 'string' || !body.id) throw unexpected('createShipment', 'a pre-postagem id');
      const code = typeof body.codigoObjeto === 'string' && body.codigoObjeto ? body.codigoObjeto : null;
      return {
        carrierShipmentId: body.id,
        trackingCode: code,
        trackingUrl: code ? `${CORREIOS_TRACKING_URL}${code}` : null,
      };
    },

    async label(id): Promise<CarrierLabel> {
      let receipt = receipts.get(id);
      if (!receipt) {
        const res = await call('label', 'POST', '/prepostagem/v1/prepostagens/rotulo/assincrono/pdf', {
          idsPrePostagem: [id],
          numeroCartaoPostagem: settings.postingCard,
          tipoRotulo: 'P',
          formatoRotulo: 'ET',
          imprimeRemetente: 'S',
          layoutImpressao: 'PADRAO',
        });
        if (res.status !== 200 && res.status !== 201)
          throw new CarrierFault('http_status', 'label', refusal(res).message, { httpStatus: res.status });
        const body = objectOf('label', res.json, 'a receipt');
        if (typeof body.idRecibo !== 'string' || !body.idRecibo) throw unexpected('label', 'idRecibo');
        receipt = body.idRecibo;
        receipts.set(id, receipt);
      }
      const res = await call(
        'label',
        'GET',
        `/prepostagem/v1/prepostagens/rotulo/download/assincrono/${encodeURIComponent(receipt)}`,
      );
      const body = res.json as { dados?: unknown } | undefined;
      // Still being generated: Correios answers the receipt without `dados` (or a 4xx saying so).
      if (res.status !== 200 || typeof body?.dados !== 'string' || !body.dados)
        return { ready: false, retryAfterMs: options.labelRetryAfterMs ?? 3000 };
      receipts.delete(id);
      return { ready: true, pdf: assertPdf('label', Buffer.from(body.dados, 'base64')) };
    },

    async track(shipments: readonly TrackedShipment[]): Promise<readonly TrackingEvent[]> {
      const codes = [...new Set(shipments.map((s) => s.trackingCode))];
      const events: TrackingEvent[] = [];
      // SRO answers up to 50 objects per call.
      for (let i = 0; i < codes.length; i += 50) {
        const query = new URLSearchParams();
        for (const code of codes.slice(i, i + 50)) query.append('codigosObjetos', code);
        query.append('resultado', 'T');
        const res = await call('track', 'GET', `/srorastro/v1/objetos?${query}`);
        if (res.status !== 200) continue;
        const body = objectOf('track', res.json, 'objetos');
        if (!Array.isArray(body.objetos)) throw unexpected('track', 'objetos[]');
        for (const objeto of body.objetos)
          events.push(...objectEvents(objectOf('track', objeto, 'an objeto')));
      }
      return events.sort((a, b) => a.at.getTime() - b.at.getTime());
    },

    async cancel(id) {
      const res = await call('cancel', 'DELETE', `/prepostagem/v1/prepostagens/${encodeURIComponent(id)}`);
      if (res.status < 200 || res.status > 299) return refusal(res);
      receipts.delete(id);
      return { cancelled: true };
    },
  };

  function prePostagem(req: ShipmentRequest) {
    const parcel = combined(req.parcels);
    return {
      idCorreios: credentials.user,
      numeroCartaoPostagem: settings.postingCard,
      remetente: party(req.sender),
      destinatario: party(req.recipient),
      codigoServico: req.service,
      pesoInformado: String(parcel.weightGrams),
      codigoFormatoObjetoInformado: '2',
      alturaInformada: String(parcel.heightCm),
      larguraInformada: String(parcel.widthCm),
      comprimentoInformado: String(parcel.lengthCm),
      cienteObjetoNaoProibido: '1',
      observacao: `Pedido ${req.orderNumber} (${req.reference})`.slice(0, 100),
      ...(req.invoice
        ? {
            numeroNotaFiscal: String(req.invoice.number),
            serieNotaFiscal: String(req.invoice.series),
            chaveNFe: req.invoice.accessKey,
          }
        : {
            // Goods without an NF-e travel with a content declaration: Correios prints it from these items.
            itensDeclaracaoConteudo: req.items.map((item) => ({
              conteudo: item.description.slice(0, 60),
              quantidade: String(item.quantity),
              valor: item.unitPrice,
            })),
          }),
    };
  }
}

/** Several volumes travel as one object here: weights add up, the largest of each dimension. */
function combined(parcels: readonly Parcel[]): Parcel {
  return {
    weightGrams: parcels.reduce((sum, p) => sum + p.weightGrams, 0),
    heightCm: Math.max(...parcels.map((p) => p.heightCm)),
    widthCm: Math.max(...parcels.map((p) => p.widthCm)),
    lengthCm: Math.max(...parcels.map((p) => p.lengthCm)),
  };
}

function party(p: ShipmentParty) {
  const phone = (p.phone ?? '').replace(/\D/g, '').replace(/^0/, '');
  const ddd = phone.length >= 10 ? phone.slice(0, 2) : '';
  const number = phone.length >= 10 ? phone.slice(2) : '';
  const mobile = number.length === 9;
  return {
    nome: p.name.slice(0, 50),
    cpfCnpj: p.document,
    ...(mobile ? { dddCelular: ddd, celular: number } : { dddTelefone: ddd, telefone: number }),
    email: p.email ?? '',
    endereco: {
      cep: p.postalCode,
      logradouro: p.street.slice(0, 50),
      numero: p.number.slice(0, 6),
      complemento: (p.complement ?? '').slice(0, 30),
      bairro: p.district.slice(0, 30),
      cidade: p.city.slice(0, 30),
      uf: p.state,
    },
  };
}

function objectEvents(objeto: Record<string, unknown>): TrackingEvent[] {
  const code = typeof objeto.codObjeto === 'string' ? objeto.codObjeto : null;
  // An object SRO does not know comes back with `mensagem` ("SRO-020: Objeto não encontrado…") and no events.
  if (!code || !Array.isArray(objeto.eventos)) return [];
  return objeto.eventos.map((raw) => {
    const e = objectOf('track', raw, 'an evento');
    const codigo = typeof e.codigo === 'string' ? e.codigo : null;
    const tipo = typeof e.tipo === 'string' || typeof e.tipo === 'number' ? String(e.tipo) : null;
    const when = typeof e.dtHrCriado === 'string' ? e.dtHrCriado : null;
    const at = when ? sroInstant(when) : null;
    if (!codigo || tipo === null || !when || !at)
      throw unexpected('track', 'an evento with codigo, tipo, dtHrCriado');
    const unidade = e.unidade && typeof e.unidade === 'object' ? (e.unidade as Record<string, unknown>) : {};
    const address = (unidade.endereco ?? {}) as { cidade?: unknown; uf?: unknown };
    const place =
      typeof address.cidade === 'string'
        ? `${address.cidade}${typeof address.uf === 'string' ? `/${address.uf}` : ''}`
        : undefined;
    const unit =
      typeof unidade.codSro === 'string'
        ? unidade.codSro
        : typeof unidade.nome === 'string'
          ? unidade.nome
          : '';
    return {
      trackingCode: code,
      eventId: sroEventId(code, { codigo, tipo, dtHrCriado: when, unidade: unit }),
      status: sroStatus(codigo, tipo),
      carrierCode: `${codigo} ${tipo.padStart(2, '0')}`,
      description: typeof e.descricao === 'string' ? e.descricao : `${codigo} ${tipo}`,
      at,
      ...(place ? { location: place } : {}),
    };
  });
}
