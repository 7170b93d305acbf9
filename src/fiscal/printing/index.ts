/** What fiscal prints: the DANFE of an NF-e (A4) and the NFC-e's 80 mm receipt, as PDF. */
export { type DanfeInput, renderDanfe } from './danfe.ts';
export { formatAccessKey } from './danfe-layout.ts';
export { renderNfceReceipt } from './danfe-nfce.ts';
