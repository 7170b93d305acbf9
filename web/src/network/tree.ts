import type { NetworkNode } from '../api/types.ts';

/** The network as a tree, built from each node's parent code; nodes whose parent is not visible are roots. */
export interface TreeNode {
  node: NetworkNode;
  children: TreeNode[];
}

const kindOrder = { network: 0, central: 1, store: 2 } as const;
const byKindThenCode = (a: TreeNode, b: TreeNode) =>
  kindOrder[a.node.kind] - kindOrder[b.node.kind] ||
  a.node.code.localeCompare(b.node.code, 'pt-BR', { numeric: true });

export function buildTree(nodes: readonly NetworkNode[]): TreeNode[] {
  const byCode = new Map(nodes.map((n) => [n.code, { node: n, children: [] as TreeNode[] }]));
  const roots: TreeNode[] = [];
  for (const entry of byCode.values()) {
    const parent = entry.node.parentCode ? byCode.get(entry.node.parentCode) : undefined;
    if (parent) parent.children.push(entry);
    else roots.push(entry);
  }
  const sort = (list: TreeNode[]) => {
    list.sort(byKindThenCode);
    for (const t of list) sort(t.children);
  };
  sort(roots);
  return roots;
}

/** Codes from the root down to the node itself, as far as the visible nodes reach. */
export function lineageOf(code: string, nodes: ReadonlyMap<string, NetworkNode>): string[] {
  const chain: string[] = [];
  let current = nodes.get(code);
  while (current && !chain.includes(current.code)) {
    chain.unshift(current.code);
    current = current.parentCode ? nodes.get(current.parentCode) : undefined;
  }
  return chain;
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** Codes of the nodes matching the text and of their ancestors (so a match is shown in its place). */
export function matching(nodes: readonly NetworkNode[], text: string): Set<string> | null {
  const needle = fold(text.trim());
  if (!needle) return null;
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const shown = new Set<string>();
  for (const n of nodes) {
    const hay = [n.code, n.name, n.address?.city ?? ''].map(fold);
    if (hay.some((h) => h.includes(needle))) for (const c of lineageOf(n.code, byCode)) shown.add(c);
  }
  return shown;
}

export { fold };
