import { randomUUID } from 'node:crypto';
import { type Exchange, type Failure, labelPdf, listen, type Reply } from '../shared-carrier-server.ts';

/**
 * A local "API Correios" (api.correios.com.br) for tests and journeys: the paths, auth, JSON and errors of
 * the documented API (token by posting card, preço/prazo, pre-postagem, asynchronous label, SRO tracking).
 *
 *   const correios = await startCorreiosServer({ user: 'loja', accessCode: 'segredo', postingCard: '0076770702' });
 *   correios.url                      // settings.baseUrl of the account
 *   correios.prePostagens             // what was created: id → {codigoObjeto, body, cancelled}
 *   correios.addEvent('AB…BR', { codigo: 'BDE', tipo: '01', descricao: '…' })   // script the tracking
 *   correios.failure = 'http500' | 'hang' | 'garbage' | 'unauthorized' | 'none'
 *   correios.requests                 // every exchange, in order
 *   await correios.close()
 *
 * Options: `labelPendingDownloads` (the first N downloads of each receipt answer "still processing",
 * default 1), `tokenTtlMs` (default 24 h), prices per service (`prices`, "25,50" style) and days (`days`).
 */
export interface CorreiosServerOptions {
  readonly user: string;
  readonly accessCode: string;
  readonly postingCard: string;
  readonly labelPendingDownloads?: number;
  readonly tokenTtlMs?: number;
  readonly prices?: Readonly<Record<string, string>>;
  readonly days?: Readonly<Record<string, number>>;
  /** CEPs (8 digits) the Correios do not serve: price and term answer 400 with `msgs`. */
  readonly unservedPostalCodes?: readonly string[];
}

export interface SroEvent {
  readonly codigo: string;
  readonly tipo: string;
  readonly descricao: string;
  /** São Paulo wall-clock time without offset, as SRO answers; now when absent. */
  readonly dtHrCriado?: string;
  readonly cidade?: string;
  readonly uf?: string;
}

export interface CorreiosServer {
  readonly url: string;
  failure: Failure;
  readonly requests: Exchange[];
  readonly prePostagens: Map<string, { codigoObjeto: string; body: any; cancelled: boolean }>;
  /** Tokens issued (a cached token means fewer). */
  readonly tokensIssued: number;
  /** Expires every issued token now (the next Bearer call is 401). */
  expireTokens(): void;
  addEvent(trackingCode: string, event: SroEvent): void;
  close(): Promise<void>;
}

const saoPauloNow = (ms: number) => new Date(ms - 3 * 3600_000).toISOString().slice(0, 19);

export async function startCorreiosServer(opts: CorreiosServerOptions): Promise<CorreiosServer> {
  const requests: Exchange[] = [];
  const tokens = new Map<string, number>();
  const prePostagens = new Map<string, { codigoObjeto: string; body: any; cancelled: boolean }>();
  const receipts = new Map<string, { ids: string[]; downloads: number }>();
  const events = new Map<string, SroEvent[]>();
  let tokensIssued = 0;
  let sequence = 10_000_000;
  const ttl = opts.tokenTtlMs ?? 24 * 3600_000;
  const pending = opts.labelPendingDownloads ?? 1;
  const unserved = new Set(opts.unservedPostalCodes ?? []);

  const error = (status: number, msg: string): Reply => ({
    status,
    json: { msgs: [msg], date: new Date().toISOString(), causa: msg },
  });

  function bearer(ex: Exchange): boolean {
    const m = /^Bearer (.+)$/.exec(String(ex.headers.authorization ?? ''));
    const until = m ? tokens.get(m[1]!) : undefined;
    return until !== undefined && until > Date.now();
  }

  async function handle(ex: Exchange): Promise<Reply> {
    if (ex.method === 'POST' && ex.path === '/token/v1/autentica/cartaopostagem') {
      const basic = /^Basic (.+)$/.exec(String(ex.headers.authorization ?? ''));
      const [user, code] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
      if (user !== opts.user || code !== opts.accessCode) return error(401, 'Usuário ou senha inválidos');
      if (ex.body?.numero !== opts.postingCard) return error(400, 'Cartão de postagem inválido');
      const token = randomUUID();
      const until = Date.now() + ttl;
      tokens.set(token, until);
      tokensIssued++;
      return {
        status: 201,
        json: {
          ambiente: 'PRODUCAO',
          id: opts.user,
          perfil: 'PJ',
          cartaoPostagem: { numero: opts.postingCard, contrato: '9912345678', dr: 74 },
          emissao: saoPauloNow(Date.now()),
          expiraEm: saoPauloNow(until),
          zoneOffset: '-03:00',
          token,
        },
      };
    }
    if (!bearer(ex)) return error(401, 'Token inválido ou expirado');

    let m = /^\/(preco|prazo)\/v1\/nacional\/(\d{5})$/.exec(ex.path);
    if (ex.method === 'GET' && m) {
      const [, kind, service] = m as unknown as [string, string, string];
      const to = ex.query.get('cepDestino') ?? '';
      if (!/^\d{8}$/.test(to) || !/^\d{8}$/.test(ex.query.get('cepOrigem') ?? ''))
        return error(400, 'CEP inválido');
      if (unserved.has(to)) return error(400, `Serviço ${service} indisponível para o CEP de destino ${to}`);
      if (kind === 'preco')
        return {
          status: 200,
          json: {
            coProduto: service,
            pcBase: '20,00',
            pcFinal: opts.prices?.[service] ?? '25,50',
            psCobrado: ex.query.get('psObjeto'),
          },
        };
      return {
        status: 200,
        json: {
          coProduto: service,
          prazoEntrega: opts.days?.[service] ?? 3,
          entregaDomiciliar: 'S',
          entregaSabado: 'N',
        },
      };
    }

    if (ex.method === 'POST' && ex.path === '/prepostagem/v1/prepostagens') {
      const b = ex.body;
      if (!b?.remetente || !b?.destinatario?.endereco?.cep || !b?.codigoServico || !b?.pesoInformado)
        return error(400, 'Campos obrigatórios não informados');
      if (!b.chaveNFe && !Array.isArray(b.itensDeclaracaoConteudo))
        return error(400, 'Informe a chave da NF-e ou a declaração de conteúdo');
      const id = `PR${randomUUID().replaceAll('-', '').slice(0, 20).toUpperCase()}`;
      const codigoObjeto = `AB${sequence++}BR`;
      prePostagens.set(id, { codigoObjeto, body: b, cancelled: false });
      return { status: 200, json: { id, codigoObjeto, statusAtual: 1, descStatusAtual: 'Preatendido' } };
    }

    m = /^\/prepostagem\/v1\/prepostagens\/([^/]+)$/.exec(ex.path);
    if (ex.method === 'DELETE' && m && m[1] !== 'rotulo') {
      const p = prePostagens.get(m[1]!);
      if (!p) return error(404, 'Pré-postagem não encontrada');
      if ((events.get(p.codigoObjeto) ?? []).some((e) => e.codigo === 'PO'))
        return error(400, 'Pré-postagem já postada não pode ser cancelada');
      p.cancelled = true;
      return { status: 200, json: { id: m[1], statusAtual: 'Cancelado' } };
    }

    if (ex.method === 'POST' && ex.path === '/prepostagem/v1/prepostagens/rotulo/assincrono/pdf') {
      const ids: unknown = ex.body?.idsPrePostagem;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => prePostagens.has(String(id))))
        return error(400, 'Pré-postagem não encontrada');
      const idRecibo = randomUUID();
      receipts.set(idRecibo, { ids: ids.map(String), downloads: 0 });
      return { status: 200, json: { idRecibo } };
    }

    m = /^\/prepostagem\/v1\/prepostagens\/rotulo\/download\/assincrono\/([^/]+)$/.exec(ex.path);
    if (ex.method === 'GET' && m) {
      const receipt = receipts.get(m[1]!);
      if (!receipt) return error(404, 'Recibo não encontrado');
      if (receipt.downloads++ < pending)
        return error(400, 'O rótulo ainda está em processamento. Tente novamente em alguns segundos.');
      const code = prePostagens.get(receipt.ids[0]!)!.codigoObjeto;
      const pdf = await labelPdf('Correios', code);
      return { status: 200, json: { nome: `rotulo-${code}.pdf`, dados: pdf.toString('base64') } };
    }

    if (ex.method === 'GET' && ex.path === '/srorastro/v1/objetos') {
      const codes = ex.query.getAll('codigosObjetos');
      if (codes.length === 0) return error(400, 'Informe ao menos um objeto');
      return {
        status: 200,
        json: {
          objetos: codes.map((code) => {
            const list = events.get(code);
            if (!list)
              return {
                codObjeto: code,
                mensagem: 'SRO-020: Objeto não encontrado na base de dados dos Correios.',
              };
            return {
              codObjeto: code,
              modalidade: 'F',
              // SRO answers the newest event first.
              eventos: [...list].reverse().map((e) => ({
                codigo: e.codigo,
                tipo: e.tipo,
                dtHrCriado: e.dtHrCriado,
                descricao: e.descricao,
                unidade: {
                  codSro: '00000000',
                  tipo: 'Unidade de Tratamento',
                  endereco: { cidade: e.cidade ?? 'SAO PAULO', uf: e.uf ?? 'SP' },
                },
              })),
            };
          }),
          quantidade: codes.length,
          resultado: 'Todos',
        },
      };
    }
    return error(404, `Recurso não encontrado: ${ex.method} ${ex.path}`);
  }

  const api = {
    url: '',
    failure: 'none' as Failure,
    requests,
    prePostagens,
    get tokensIssued() {
      return tokensIssued;
    },
    expireTokens() {
      for (const key of tokens.keys()) tokens.set(key, 0);
    },
    addEvent(trackingCode: string, event: SroEvent) {
      const list = events.get(trackingCode) ?? [];
      list.push({ ...event, dtHrCriado: event.dtHrCriado ?? saoPauloNow(Date.now() + list.length * 1000) });
      events.set(trackingCode, list);
    },
    close: async () => {},
  };
  const server = await listen(handle, () => api.failure, requests);
  api.url = server.url;
  api.close = server.close;
  return api;
}
