/**
 * A client of the WhatsApp Business Cloud API (Meta): one template message per call,
 * `POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages` with the account's bearer token. Every way of not
 * getting a `messages[0].id` back is a `WhatsAppFault` (a `ChannelFault`) saying whether to send again.
 */
import { ChannelFault } from '../channel.ts';
import { type Classified, classify, type FaultKind, type GraphError, graphErrorOf } from './faults.ts';

export const DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_API_VERSION = 'v21.0';
export const DEFAULT_TIMEOUT_MS = 10_000;
/** A send answer is a few hundred bytes; anything far larger is not the API talking. */
const MAX_ANSWER_BYTES = 256 * 1024;

export interface WhatsAppClientOptions {
  readonly baseUrl?: string;
  readonly apiVersion?: string;
  readonly phoneNumberId: string;
  readonly accessToken: string;
  readonly timeoutMs?: number;
}

export interface TemplateMessage {
  /** E.164 digits (5511987654321). */
  readonly to: string;
  /** The approved template's name as Meta knows it. */
  readonly template: string;
  /** The template's language code (pt_BR, en_US). */
  readonly language: string;
  /** The body's {{1}}, {{2}}, … in order. */
  readonly parameters: readonly string[];
  /** Echoed back in the status webhooks (`biz_opaque_callback_data`): Omnihub's message id. */
  readonly reference?: string;
}

export interface Accepted {
  /** The wamid of the message. */
  readonly providerId: string;
  /** The recipient's WhatsApp id as the API resolved the number. */
  readonly waId: string | null;
}

/** A failed send, with what the API said when it said something. */
export class WhatsAppFault extends ChannelFault {
  readonly kind: FaultKind;
  /** The HTTP status, when an answer came. */
  readonly status: number | null;
  readonly graph: GraphError | null;

  constructor(
    message: string,
    classified: Classified,
    detail: { status?: number | null; graph?: GraphError | null; cause?: unknown } = {},
  ) {
    super(message, { permanent: classified.permanent, cause: detail.cause });
    this.name = 'WhatsAppFault';
    this.kind = classified.kind;
    this.status = detail.status ?? null;
    this.graph = detail.graph ?? null;
  }
}

export interface WhatsAppClient {
  sendTemplate(message: TemplateMessage): Promise<Accepted>;
}

/** The body Meta documents for a template message ("Send message templates", Cloud API). */
export function templateBody(message: TemplateMessage): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: 'template',
    template: {
      name: message.template,
      language: { code: message.language },
      components: message.parameters.length
        ? [{ type: 'body', parameters: message.parameters.map((text) => ({ type: 'text', text })) }]
        : [],
    },
    ...(message.reference ? { biz_opaque_callback_data: message.reference } : {}),
  };
}

export const messagesUrl = (baseUrl: string, apiVersion: string, phoneNumberId: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(apiVersion)}/${encodeURIComponent(phoneNumberId)}/messages`;

function faultMessage(status: number, graph: GraphError | null): string {
  if (!graph) return `The WhatsApp API answered HTTP ${status} without an error object.`;
  const code = graph.code === null ? '' : ` (#${graph.code})`;
  return `WhatsApp${code}: ${graph.details ?? graph.message}`;
}

function unavailable(message: string, cause: unknown): WhatsAppFault {
  return new WhatsAppFault(message, { kind: 'unavailable', permanent: false }, { cause });
}

async function readCapped(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) throw new Error(`answer of ${declared} bytes`);
  const text = await res.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Error(`answer of ${text.length} characters`);
  return text;
}

export function createWhatsAppClient(options: WhatsAppClientOptions): WhatsAppClient {
  const url = messagesUrl(
    options.baseUrl ?? DEFAULT_BASE_URL,
    options.apiVersion ?? DEFAULT_API_VERSION,
    options.phoneNumberId,
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    async sendTemplate(message) {
      // One deadline for connecting, sending and reading the whole answer.
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${options.accessToken}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(templateBody(message)),
          signal,
          redirect: 'error',
        });
        text = await readCapped(res);
      } catch (error) {
        if (signal.aborted)
          throw unavailable(`The WhatsApp API did not answer within ${timeoutMs} ms.`, error);
        throw unavailable(`The WhatsApp API could not be reached: ${reason(error)}.`, error);
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (error) {
        const classified = classify(res.status, null);
        throw new WhatsAppFault(
          `The WhatsApp API answered HTTP ${res.status} with a body that is not JSON.`,
          res.ok ? { kind: 'protocol', permanent: false } : classified,
          { status: res.status, cause: error },
        );
      }
      if (!res.ok) {
        const graph = graphErrorOf(body);
        throw new WhatsAppFault(faultMessage(res.status, graph), classify(res.status, graph), {
          status: res.status,
          graph,
        });
      }
      const accepted = acceptedOf(body);
      if (!accepted)
        throw new WhatsAppFault(
          'The WhatsApp API answered 200 without a message id.',
          { kind: 'protocol', permanent: false },
          { status: res.status },
        );
      return accepted;
    },
  };
}

/** `{messaging_product, contacts: [{input, wa_id}], messages: [{id}]}`. */
function acceptedOf(body: unknown): Accepted | null {
  if (body === null || typeof body !== 'object') return null;
  const { messages, contacts } = body as { messages?: unknown; contacts?: unknown };
  const first = Array.isArray(messages) ? (messages[0] as { id?: unknown } | undefined) : undefined;
  if (!first || typeof first.id !== 'string' || !first.id) return null;
  const contact = Array.isArray(contacts) ? (contacts[0] as { wa_id?: unknown } | undefined) : undefined;
  return { providerId: first.id, waId: typeof contact?.wa_id === 'string' ? contact.wa_id : null };
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
