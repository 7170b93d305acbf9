import type { NetworkNode, Page } from '../api/types.ts';
import { api, query } from '../api.ts';

/** Every node the user sees, page after page (a network has hundreds of stores at most). */
export async function allNodes(signal?: AbortSignal): Promise<NetworkNode[]> {
  const nodes: NetworkNode[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<NetworkNode>>(
      'GET',
      `/api/v1/nodes${query({ limit: 200, cursor })}`,
      undefined,
      signal,
    );
    nodes.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return nodes;
}
