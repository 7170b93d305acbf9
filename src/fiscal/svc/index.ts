/**
 * The NF-e contingency in SVC (MOC 7.0 §3, NT 2013.007): the mode per store, what a failed NF-e send
 * does, the periodic status check, and the reconciliation after the mode ends.
 */
export { contingencyJobHandlers, onNfeFault } from './jobs.ts';
export {
  activate,
  deactivate,
  latestModes,
  type ModeRow,
  openMode,
  reviveStatusChecks,
  SVC_CHECK_QUEUE,
  SVC_RECONCILE_QUEUE,
  type SvcContent,
  svcEmission,
} from './modes.ts';
export {
  type ContingencyDocumentView,
  contingencyDocuments,
  enterSvc,
  leaveSvc,
  type ModeView,
  modesFor,
  transmitNow,
} from './panel.ts';
export {
  checkJustification,
  isSvcKey,
  type Reconciliation,
  type SvcAuthoriser,
  svcFor,
} from './svc.ts';
