/**
 * Shipping paperwork (issue 15 §4): the logistic label of ship orders (Omnihub's, or the carrier's own) and
 * the content declaration of goods sent by post without an NF-e.
 */
export { contentDeclarationOf } from './declaration.ts';
export { defaultLabelFormat, type LabelFormat, labelFormats, MAX_LABELS } from './domain.ts';
export { type LabelPdf, labelOf, labelsOf } from './labels.ts';
