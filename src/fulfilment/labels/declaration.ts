import type * as network from '../../network/service.ts';
import type { Db } from '../../platform/db/index.ts';
import { ok, type Result } from '../../platform/errors.ts';
import * as split from '../../split/service.ts';
import { contentDeclaration, declarationWords, renderContentDeclaration } from './content-declaration.ts';
import type { LabelPdf } from './labels.ts';

/** The content declaration of a stock request's goods, for its sender (split: `sentGoodsOf`). */
export async function contentDeclarationOf(
  db: Db,
  reader: network.Viewer,
  requestId: string,
): Promise<Result<LabelPdf>> {
  const goods = await split.sentGoodsOf(db, reader, requestId);
  if (!goods.ok) return goods;
  const { sender, recipient, orderNumber, lines } = goods.value;
  const declaration = contentDeclaration({ orderNumber, sender, recipient, lines });
  return ok({
    pdf: await renderContentDeclaration(declaration, `${declarationWords.title} - ${declaration.reference}`),
    fileName: declarationWords.fileName(orderNumber),
  });
}
