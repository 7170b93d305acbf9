import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import type { Principal } from '../platform/http/access.ts';
import { isTemplateCode, type TemplateCode, templateCodes } from './domain.ts';
import * as store from './store.ts';
import { type TemplateText, templates, validateTemplate } from './templates.ts';

/** The network's own texts of the messages (IN_ALT_MENSAGEM), and "Restaurar padrão". */

/** The permission that lets a user change the messages' texts (seed 003, Notificações). */
export const EDIT_PERMISSION = 'IN_ALT_MENSAGEM';

export interface TemplateView extends TemplateText {
  code: TemplateCode;
  title: string;
  variables: Readonly<Record<string, string>>;
  /** The network changed it (else the shipped text). */
  customised: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  whatsappParameters: string[];
}

export async function listTemplates(db: Db, viewer: network.Viewer): Promise<TemplateView[]> {
  const own = new Map((await store.templatesOf(db, viewer.networkId)).map((t) => [t.code, t]));
  return templateCodes.map((code) => {
    const mine = own.get(code);
    const shipped = templates[code];
    return {
      code,
      title: shipped.title,
      variables: shipped.variables,
      whatsappParameters: [...shipped.whatsapp],
      subject: mine?.subject ?? shipped.subject,
      text: mine?.text ?? shipped.text,
      html: mine?.html ?? shipped.html,
      customised: mine !== undefined,
      updatedBy: mine?.updatedBy ?? null,
      updatedAt: mine?.updatedAt.toISOString() ?? null,
    };
  });
}

function mayEdit(editor: Principal): Result<null> {
  return editor.permissions?.includes(EDIT_PERMISSION)
    ? ok(null)
    : fail(
        'forbidden',
        'NOTIFICATION.PERMISSION_REQUIRED',
        `Changing the messages' texts needs the permission ${EDIT_PERMISSION}.`,
        { data: { permission: EDIT_PERMISSION } },
      );
}

const unknownTemplate = (code: string) =>
  fail('not_found', 'NOTIFICATION.TEMPLATE_NOT_FOUND', `There is no template ${code}.`);

async function auditScope(db: Db, editor: Principal) {
  const node = await network.getNodeById(db, editor.nodeId);
  return audit.scopeOf(node!);
}

/** The network's own text of a template: taken only if it compiles (422 with the engine's error and line). */
export async function saveTemplate(
  db: Db,
  editor: Principal,
  code: string,
  text: TemplateText,
): Promise<Result<TemplateView>> {
  const allowed = mayEdit(editor);
  if (!allowed.ok) return allowed;
  if (!isTemplateCode(code)) return unknownTemplate(code);
  const valid = validateTemplate(text);
  if (!valid.ok) return valid;
  const scope = await auditScope(db, editor);
  await transaction(db, async (tx) => {
    const before = await store.findTemplate(tx, editor.networkId, code);
    await store.saveTemplate(tx, {
      networkId: editor.networkId,
      code,
      ...text,
      updatedBy: editor.name,
      updatedAt: new Date(),
    });
    await audit.record(tx, editor, scope, {
      action: 'notification_template.changed',
      target: { type: 'notification_template', id: code, label: templates[code].title },
      before: before ? { subject: before.subject, text: before.text, html: before.html } : { shipped: true },
      after: { ...text },
    });
    return ok(null);
  });
  return ok((await listTemplates(db, editor)).find((t) => t.code === code)!);
}

/** "Restaurar padrão": back to the shipped text. */
export async function resetTemplate(db: Db, editor: Principal, code: string): Promise<Result<TemplateView>> {
  const allowed = mayEdit(editor);
  if (!allowed.ok) return allowed;
  if (!isTemplateCode(code)) return unknownTemplate(code);
  const scope = await auditScope(db, editor);
  await transaction(db, async (tx) => {
    const removed = await store.deleteTemplate(tx, editor.networkId, code);
    if (!removed) return ok(null);
    await audit.record(tx, editor, scope, {
      action: 'notification_template.reset',
      target: { type: 'notification_template', id: code, label: templates[code].title },
      before: { subject: removed.subject, text: removed.text, html: removed.html },
      after: { shipped: true },
    });
    return ok(null);
  });
  return ok((await listTemplates(db, editor)).find((t) => t.code === code)!);
}
