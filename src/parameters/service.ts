import * as audit from '../audit/service.ts';
import * as network from '../network/service.ts';
import type { Db } from '../platform/db/index.ts';
import { pgErrorCode } from '../platform/db/sql.ts';
import { transaction } from '../platform/db/transaction.ts';
import { fail, ok, type Result } from '../platform/errors.ts';
import { type Actor, admins } from '../platform/http/access.ts';
import {
  allowedAt,
  type ChainLink,
  type CodedDefinition,
  definitionOf,
  definitions,
  type NodeKind,
  type ParameterCode,
  type ParameterValue,
  posParameters,
  resolveEffective,
  validateValue,
} from './domain.ts';
import * as store from './store.ts';

export type { CodedDefinition, NodeKind, ParameterCode, ParameterValue } from './domain.ts';
export { definitions, invoiceLeadDays, isParameterCode, posParameters } from './domain.ts';

/** The node whose value applies; null in a `Resolved` means the definition's default. */
export interface Source {
  nodeCode: string;
  kind: NodeKind;
}

export interface Resolved<C extends ParameterCode> {
  value: ParameterValue<C>;
  source: Source | null;
}

/** A parameter's effective value at a node as a given viewer may see it. */
export interface EffectiveParameter {
  code: ParameterCode;
  /** null when hidden. */
  value: unknown;
  source: Source | null;
  /** A private parameter's value set above the viewer's own node: the viewer sees where, not what. */
  hidden: boolean;
}

/** Who changes parameters: a principal (user or API client) with its node; the audit log names it. */
export type Editor = network.Viewer & { id: string; actor: Actor } & audit.Who;

const sourceOf = (node: network.NodeIdentity | null): Source | null =>
  node ? { nodeCode: node.code, kind: node.kind } : null;

async function chainOf(db: Db, nodeId: string, codes?: readonly string[]) {
  const nodes = await network.lineage(db, nodeId);
  const values = await store.valuesOn(
    db,
    nodes.map((n) => n.id),
    codes,
  );
  return nodes.map((node): ChainLink<network.NodeIdentity> => ({ node, values: values.get(node.id) ?? {} }));
}

/**
 * One parameter's effective value at many nodes (by id) with one query for the values: what a flow that
 * weighs a thousand stores (the split's router) reads. Nodes unknown are absent from the map.
 */
export async function resolveAtNodes<C extends ParameterCode>(
  db: Db,
  nodeIds: readonly string[],
  code: C,
): Promise<Map<string, ParameterValue<C>>> {
  const def = definitionOf(code);
  if (!def) throw new Error(`parameters.resolveAtNodes: unknown parameter ${code}`);
  const chains = new Map<string, network.NodeIdentity[]>();
  for (const id of nodeIds) chains.set(id, await network.lineage(db, id));
  const every = new Set([...chains.values()].flatMap((chain) => chain.map((n) => n.id)));
  const values = await store.valuesOn(db, [...every], [code]);
  const out = new Map<string, ParameterValue<C>>();
  for (const [id, chain] of chains) {
    if (chain.length === 0) continue;
    const links = chain.map((node) => ({ node, values: values.get(node.id) ?? {} }));
    out.set(id, resolveEffective(code, def, links).value as ParameterValue<C>);
  }
  return out;
}

/**
 * Effective values of several parameters at a node (by id), for the other contexts: "nearest node wins",
 * else the default. Visibility does not apply: the system acts for the node with all its ancestors' values.
 */
export async function resolveMany<const C extends ParameterCode>(
  db: Db,
  nodeId: string,
  codes: readonly C[],
): Promise<{ [K in C]: Resolved<K> }> {
  const chain = await chainOf(db, nodeId, codes);
  // Callers hold the ids of their own rows: an unknown id is a bug, not a client's mistake.
  if (chain.length === 0) throw new Error(`parameters.resolve: there is no node ${nodeId}`);
  const out: Record<string, { value: unknown; source: Source | null }> = {};
  for (const code of codes) {
    const def = definitionOf(code);
    if (!def) throw new Error(`parameters.resolve: unknown parameter ${code}`);
    const effective = resolveEffective(code, def, chain);
    out[code] = { value: effective.value, source: sourceOf(effective.source) };
  }
  return out as { [K in C]: Resolved<K> };
}

/** The effective value of one parameter at a node (by id), e.g. `resolve(db, storeId, '9253')`. */
export async function resolve<C extends ParameterCode>(
  db: Db,
  nodeId: string,
  code: C,
): Promise<Resolved<C>> {
  const all = await resolveMany(db, nodeId, [code]);
  return all[code];
}

const unknownParameter = (code: string) =>
  fail('invalid', 'PARAMETER.UNKNOWN', `There is no parameter ${code}; GET /api/v1/parameters lists them.`, {
    data: { parameter: code },
  });

async function effectiveFor(
  db: Db,
  viewer: network.Viewer,
  node: network.NetworkNode,
  defs: readonly CodedDefinition[],
  showPrivate = false,
): Promise<EffectiveParameter[]> {
  const chain = await chainOf(
    db,
    node.id,
    defs.map((d) => d.code),
  );
  return defs.map((def) => {
    const { value, source } = resolveEffective(def.code, def, chain);
    const hidden =
      !showPrivate && source !== null && !def.public && !network.isWithin(source.path, viewer.nodePath);
    return { code: def.code, value: hidden ? null : value, source: sourceOf(source), hidden };
  });
}

/** Every parameter's effective value at a node the viewer can see, with where it comes from. */
export async function effectiveAll(
  db: Db,
  viewer: network.Viewer,
  nodeCode: string,
): Promise<Result<EffectiveParameter[]>> {
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok) return node;
  return ok(await effectiveFor(db, viewer, node.value, definitions));
}

export async function effectiveOne(
  db: Db,
  viewer: network.Viewer,
  nodeCode: string,
  code: string,
): Promise<Result<EffectiveParameter>> {
  const def = definitionOf(code);
  if (!def) return unknownParameter(code);
  const node = await network.getNode(db, viewer, nodeCode);
  if (!node.ok) return node;
  const [effective] = await effectiveFor(db, viewer, node.value, [def]);
  return ok(effective!);
}

/**
 * What a POS key reads (GET /nodes/{code}/parameters[/{param}]): its own store only (another node is not
 * visible to it: 404) and the parameters the POS downloads (`posParameters`; another is 403), with the values
 * the store's flows use.
 */
export async function effectiveForPos(
  db: Db,
  pos: network.Viewer,
  nodeCode: string,
  code?: string,
): Promise<Result<EffectiveParameter[]>> {
  const def = code === undefined ? undefined : definitionOf(code);
  if (code !== undefined && !def) return unknownParameter(code);
  if (def && !posParameters.includes(def.code))
    return fail(
      'forbidden',
      'PARAMETER.NOT_FOR_POS',
      `The POS reads ${posParameters.join(', ')} of its store; ${def.code} is for the back office.`,
      { data: { parameter: def.code, readable: [...posParameters] } },
    );
  const node = await network.getNode(db, pos, nodeCode);
  if (!node.ok) return node;
  if (node.value.id !== pos.nodeId) return nodeGone(nodeCode);
  const defs = def ? [def] : posParameters.map((c) => definitionOf(c)!);
  return ok(await effectiveFor(db, pos, node.value, defs, true));
}

/** Checks shared by set and unset: known code, an admin, a visible node within the editor's subtree. */
async function editable(
  db: Db,
  editor: Editor,
  nodeCode: string,
  code: string,
): Promise<Result<{ def: CodedDefinition; node: network.NetworkNode }>> {
  const def = definitionOf(code);
  if (!def) return unknownParameter(code);
  if (!admins.includes(editor.actor)) {
    return fail('forbidden', 'PARAMETER.NOT_ADMIN', 'Only network and central admins change parameters.');
  }
  const node = await network.getNode(db, editor, nodeCode);
  if (!node.ok) return node;
  if (!network.isWithin(node.value.path, editor.nodePath)) {
    return fail(
      'forbidden',
      'PARAMETER.NOT_MANAGER',
      `Parameters of ${nodeCode} are managed above you; you may change them at your node or below it.`,
    );
  }
  return ok({ def, node: node.value });
}

const nodeGone = (code: string) =>
  fail('not_found', 'NETWORK.NODE_NOT_FOUND', `There is no node ${code} visible to you.`);

/** Sets a parameter at a node; the nodes below inherit it unless they hold their own value. */
export async function setValue(
  db: Db,
  editor: Editor,
  nodeCode: string,
  code: string,
  value: unknown,
): Promise<Result<EffectiveParameter>> {
  const target = await editable(db, editor, nodeCode, code);
  if (!target.ok) return target;
  const { def, node } = target.value;
  if (!allowedAt(def, node.kind)) {
    return fail(
      'invalid',
      'PARAMETER.OUT_OF_SCOPE',
      `${def.code} can be set only at ${def.scope.join(' or ')} nodes; ${node.code} is a ${node.kind}.`,
      { data: { parameter: def.code, scope: [...def.scope], nodeKind: node.kind } },
    );
  }
  const errors = validateValue(def, value);
  if (errors.length) {
    return fail('invalid', 'PARAMETER.INVALID_VALUE', `The value does not fit ${def.code} (${def.type}).`, {
      errors,
      data: { parameter: def.code },
    });
  }
  return transaction(db, async (tx) => {
    const held = await heldValue(tx, node.id, def.code);
    try {
      await store.upsertValue(tx, { nodeId: node.id, code: def.code, value, updatedBy: editor.id });
    } catch (error) {
      // The node was removed between the check and the write.
      if (pgErrorCode(error) === '23503') return nodeGone(nodeCode);
      throw error;
    }
    if (JSON.stringify(held) !== JSON.stringify(value)) {
      await audit.record(tx, editor, audit.scopeOf(node), {
        action: 'parameter.set',
        target: parameterTarget(def.code, node),
        before: held === undefined ? null : { value: held },
        after: { value },
      });
    }
    const [effective] = await effectiveFor(tx, editor, node, [def]);
    return ok(effective!);
  });
}

/** The value held at the node itself (not inherited), or undefined. */
async function heldValue(db: Db, nodeId: string, code: string): Promise<unknown> {
  return (await store.valuesOn(db, [nodeId], [code])).get(nodeId)?.[code];
}

const parameterTarget = (code: string, node: network.NetworkNode) => ({
  type: 'parameter',
  id: `${code}@${node.code}`,
  label: code,
});

/** Removes the value set at a node, which then inherits again; removing an absent value is not an error. */
export async function unsetValue(
  db: Db,
  editor: Editor,
  nodeCode: string,
  code: string,
): Promise<Result<EffectiveParameter>> {
  const target = await editable(db, editor, nodeCode, code);
  if (!target.ok) return target;
  const { def, node } = target.value;
  return transaction(db, async (tx) => {
    const held = await heldValue(tx, node.id, def.code);
    if (await store.deleteValue(tx, node.id, def.code)) {
      await audit.record(tx, editor, audit.scopeOf(node), {
        action: 'parameter.cleared',
        target: parameterTarget(def.code, node),
        before: { value: held ?? null },
        after: null,
      });
    }
    const [effective] = await effectiveFor(tx, editor, node, [def]);
    return ok(effective!);
  });
}

type Seed = {
  [C in ParameterCode]: [nodeCode: string, code: C, value: Exclude<ParameterValue<C>, null>];
}[ParameterCode];

/**
 * The demo network's parameters: split and shelf switched on network- and central-wide, the fiscal
 * document type at the central, each store's participation and series at the store, so the back office
 * shows values inherited from every level.
 */
const demoValues: Seed[] = [
  ['DEMO', 'TP_VALIDA_SLD_ACEITE_PED', '01'],
  // Omnihub has no carrier tracking integration yet, so every carrier's "in transit" is set by hand.
  ['DEMO', 'DS_LST_TRANSPORT_OMNI', ['CORREIOS', 'JADLOG']],
  ['SUL', '9258', '55'],
  ['SUL', 'TP_UTILIZA_PRATELEIRA', true],
  // The seeds' split example: stores 11, 8 and 3 see each other's stock (the same central).
  ['SUL', 'TP_VISUAL_EMP_PRATELEIRA', '2'],
  ['DEMO', 'CD_MOTIVOBLOQ_PED_PRATELE', 'PRATELEIRA'],
  ['SUL', 'CD_REPRE_PRATELEIRA', 'REP-SUL-01'],
  ['SUL', 'CD_MOD_VENDA_PRATELEIRA', 'MOD-PRAT-80'],
  ['DEMO', 'CD_MOT_CANC_PED_PRATELEIR', 'REROTEADO'],
  // Refused lines may be re-routed to the other stores of the central.
  ['SUL', 'IN_BAIXA_PED_POOL_EMP', true],
  ['SUL', 'TP_ENVIO_NFE_AUTOMATIC', '3'],
  ['11', '9253', true],
  ['11', '9259', '1'],
  ['11', 'TP_IMP_ETIQ_LOGISTICA_PED', '4'],
  ['8', '9253', true],
  ['8', '9259', '1'],
  ['3', '9253', true],
  ['3', '9259', '1'],
];

export async function seedParameters(
  tx: Db,
  nodesByCode: Readonly<Record<string, network.NetworkNode>>,
): Promise<void> {
  for (const [nodeCode, code, value] of demoValues) {
    const node = nodesByCode[nodeCode];
    const def = definitionOf(code)!;
    if (!node || !allowedAt(def, node.kind) || validateValue(def, value).length) {
      throw new Error(`demo parameter ${code} at ${nodeCode} does not fit its definition`);
    }
    await store.upsertValue(tx, { nodeId: node.id, code, value, updatedBy: 'system:demo-seed' });
  }
}
