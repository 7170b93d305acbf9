/**
 * A WhatsApp Business Cloud API that tests start in-process (issue 15 §7): `POST /{version}/{phone
 * number id}/messages` answering as Meta's Graph API documents it — HTTP on 127.0.0.1 instead of
 * HTTPS, the base URL being configurable.
 *
 * - Auth: `Authorization: Bearer <token>`; another token → 401 `{error: {code: 190, type: "OAuthException"}}`.
 * - The phone number id must be the account's, else 400 code 100 subcode 33 ("object does not exist").
 * - The body: `messaging_product: "whatsapp"`, `to`, `type: "template"`, `template.name`,
 *   `template.language.code`, body parameters as `{type: "text", text}` → 400 code 100 otherwise;
 *   a template the account does not have in that language → 404 code 132001; a parameter count that
 *   differs from the template's → 400 code 132000; a number in `undeliverable` → 400 code 131026.
 * - Success: 200 `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid.…"}]}`.
 * - Behaviours (`behave`): the next calls (or every call) answer 500 code 131000, hang, reset, answer
 *   garbage, or rate-limit (130429).
 * Every call is in `calls`, with what was answered.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TemplateSpec {
  /** Language codes the template is approved in. */
  readonly languages: readonly string[];
  /** How many body parameters ({{1}}…) it has. */
  readonly parameters: number;
}

export interface WhatsAppServerOptions {
  readonly accessToken?: string;
  readonly phoneNumberId?: string;
  /** The account's approved templates; Meta's sample `hello_world` (en_US, no parameters) is always there. */
  readonly templates?: Readonly<Record<string, TemplateSpec>>;
  /** Numbers (E.164 digits) that are not on WhatsApp: 131026. */
  readonly undeliverable?: readonly string[];
}

export type Behaviour = 'error-500' | 'hang' | 'reset' | 'garbage' | 'rate-limit';

export interface ReceivedCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly body: unknown;
  readonly status: number | null;
  readonly answer: unknown;
}

export interface WhatsAppServer {
  /** The base URL to configure (`http://127.0.0.1:<port>`). */
  readonly url: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly calls: ReceivedCall[];
  /** The next `times` calls (Infinity: every call until `reset`) behave so. */
  behave(behaviour: Behaviour, times?: number): void;
  /** Back to answering normally, the calls kept. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_TEST_TOKEN = 'EAAG-test-token-omnihub';
export const DEFAULT_PHONE_NUMBER_ID = '106540352242922';

const VERSION = /^v\d{1,2}\.\d$/;

function graphError(
  code: number,
  message: string,
  extra: { type?: string; subcode?: number; details?: string } = {},
) {
  return {
    error: {
      message,
      type: extra.type ?? 'OAuthException',
      code,
      ...(extra.details ? { error_data: { messaging_product: 'whatsapp', details: extra.details } } : {}),
      ...(extra.subcode ? { error_subcode: extra.subcode } : {}),
      fbtrace_id: randomBytes(9).toString('base64url'),
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** What Meta answers to a send request's body, or null when the body is a valid template message. */
function bodyProblem(
  body: unknown,
  templates: Readonly<Record<string, TemplateSpec>>,
  undeliverable: ReadonlySet<string>,
): { status: number; answer: unknown } | null {
  const invalid = (details: string) => ({
    status: 400,
    answer: graphError(100, '(#100) Invalid parameter', { details }),
  });
  if (!isObject(body)) return invalid('The request body must be a JSON object');
  if (body.messaging_product !== 'whatsapp')
    return invalid('The parameter messaging_product is required and must be "whatsapp".');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual')
    return invalid('recipient_type must be "individual".');
  if (typeof body.to !== 'string' || !/^\+?\d{8,15}$/.test(body.to))
    return invalid('The parameter to is required and must be a phone number.');
  if (body.type !== 'template') return invalid('This server only takes template messages (type "template").');
  const template = body.template;
  if (!isObject(template) || typeof template.name !== 'string' || !template.name)
    return invalid('The parameter template.name is required.');
  if (!isObject(template.language) || typeof template.language.code !== 'string')
    return invalid('The parameter template.language.code is required.');
  const components = template.components ?? [];
  if (!Array.isArray(components)) return invalid('template.components must be an array.');
  let count = 0;
  for (const component of components) {
    if (!isObject(component) || typeof component.type !== 'string')
      return invalid('Each component needs a type.');
    if (component.type !== 'body') continue;
    if (!Array.isArray(component.parameters)) return invalid('A body component needs parameters.');
    for (const p of component.parameters) {
      if (!isObject(p) || p.type !== 'text' || typeof p.text !== 'string')
        return invalid('Body parameters must be {type: "text", text}.');
      if (!p.text.trim() || /[\n\t]| {5,}/.test(p.text))
        return {
          status: 400,
          answer: graphError(
            132000,
            '(#132000) Number of parameters does not match the expected number of params',
            {
              details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
            },
          ),
        };
      count++;
    }
  }
  const spec = templates[template.name];
  if (!spec?.languages.includes(template.language.code))
    return {
      status: 404,
      answer: graphError(132001, '(#132001) Template name does not exist in the translation', {
        details: `template name (${template.name}) does not exist in ${template.language.code}`,
      }),
    };
  if (count !== spec.parameters)
    return {
      status: 400,
      answer: graphError(
        132000,
        '(#132000) Number of parameters does not match the expected number of params',
        {
          details: `body: number of localizable_params (${count}) does not match the expected number of params (${spec.parameters})`,
        },
      ),
    };
  const to = body.to.replace(/^\+/, '');
  if (undeliverable.has(to))
    return {
      status: 400,
      answer: graphError(131026, '(#131026) Message Undeliverable', {
        details: 'Message Undeliverable.',
      }),
    };
  return null;
}

export async function startWhatsAppServer(opts: WhatsAppServerOptions = {}): Promise<WhatsAppServer> {
  const accessToken = opts.accessToken ?? DEFAULT_TEST_TOKEN;
  const phoneNumberId = opts.phoneNumberId ?? DEFAULT_PHONE_NUMBER_ID;
  const templates = { hello_world: { languages: ['en_US'], parameters: 0 }, ...opts.templates };
  const undeliverable = new Set(opts.undeliverable ?? []);
  const calls: ReceivedCall[] = [];
  let behaviour: { kind: Behaviour; left: number } | null = null;
  const hanging = new Set<ServerResponse>();

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown = null;
    const path = (req.url ?? '/').split('?')[0]!;
    const call = {
      method: req.method ?? 'GET',
      path,
      authorization: req.headers.authorization ?? null,
      body: raw as unknown,
      status: null as number | null,
      answer: null as unknown,
    };
    calls.push(call);
    const answer = (status: number, json: unknown) => {
      call.status = status;
      call.answer = json;
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      res.end(JSON.stringify(json));
    };

    const current = behaviour;
    if (current) {
      current.left--;
      if (current.left <= 0) behaviour = null;
      switch (current.kind) {
        case 'hang':
          hanging.add(res);
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'garbage':
          call.status = 200;
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end('<html><body>Sorry, something went wrong.');
          return;
        case 'error-500':
          return answer(
            500,
            graphError(131000, '(#131000) Something went wrong', { details: 'Something went wrong' }),
          );
        case 'rate-limit':
          return answer(
            400,
            graphError(130429, '(#130429) Rate limit hit', {
              details: 'Cloud API message throughput has been reached.',
              subcode: 2494055,
            }),
          );
      }
    }

    const segments = path.split('/').filter(Boolean);
    if (segments.length !== 3 || segments[2] !== 'messages' || !VERSION.test(segments[0]!))
      return answer(400, graphError(2500, `Unknown path components: ${path}`, { type: 'OAuthException' }));
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match || match[1] !== accessToken)
      return answer(
        401,
        graphError(190, 'Invalid OAuth access token - Cannot parse access token', { subcode: 463 }),
      );
    if (segments[1] !== phoneNumberId)
      return answer(
        400,
        graphError(
          100,
          `Unsupported post request. Object with ID '${segments[1]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          { type: 'GraphMethodException', subcode: 33 },
        ),
      );
    if (req.method !== 'POST')
      return answer(400, graphError(100, '(#100) Unsupported method', { type: 'GraphMethodException' }));
    if (!/^application\/json/i.test(req.headers['content-type'] ?? ''))
      return answer(400, graphError(100, '(#100) The request body must be JSON'));
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(400, graphError(100, '(#100) Invalid parameter', { details: 'The body is not JSON' }));
    }
    call.body = body;
    const problem = bodyProblem(body, templates, undeliverable);
    if (problem) return answer(problem.status, problem.answer);
    const to = (body as { to: string }).to;
    return answer(200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }],
      messages: [{ id: `wamid.${randomBytes(24).toString('base64url')}` }],
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessToken,
    phoneNumberId,
    calls,
    behave(kind, times = 1) {
      behaviour = { kind, left: times };
    },
    reset() {
      behaviour = null;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
