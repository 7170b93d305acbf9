/**
 * The rules of the NF-e contingency in SVC (Sefaz Virtual de Contingência; MOC 7.0 §3 "Contingência",
 * NT 2013.007), pure: which SVC serves a state, what an entry needs, and what is done with a document
 * whose normal send may have reached the state before it was issued again in SVC.
 */
import { fail, ok, type Result } from '../../platform/errors.ts';
import { bundledEndpointTable } from '../authorizer/index.ts';
import { CONTINGENCY_JUSTIFICATION_MAX, CONTINGENCY_JUSTIFICATION_MIN, SVC_AN, SVC_RS } from '../domain.ts';

export type SvcAuthoriser = 'SVC-AN' | 'SVC-RS';

/**
 * NT 2013.007 §2: which SVC takes a state's NF-e when its authoriser is down (SVC-RS for AM, BA, GO, MA,
 * MS, MT, PE, PR; SVC-AN for the others), read from the SEFAZ endpoint table's data so the client routes a
 * tpEmis 6/7 document to the same SVC this issues it for.
 */
const svcOfState = bundledEndpointTable().contingency['55'];

export function svcFor(state: string): { authoriser: SvcAuthoriser; emissionType: 6 | 7 } {
  return svcOfState[state.toUpperCase()] === 'SVCRS'
    ? { authoriser: 'SVC-RS', emissionType: SVC_RS }
    : { authoriser: 'SVC-AN', emissionType: SVC_AN };
}

/** Whether an access key was issued in SVC: tpEmis, position 35 of the key, is 6 or 7. */
export const isSvcKey = (accessKey: string): boolean => accessKey[34] === '6' || accessKey[34] === '7';

/** The justification written when the contingency is entered automatically (IN_CONTINGENCIA_SVC_AUTO). */
export const AUTOMATIC_JUSTIFICATION =
  'SEFAZ autorizadora indisponível: contingência SVC ativada automaticamente';

/**
 * xJust of B29: 15 to 256 characters once its whitespace is collapsed (the schema's TString allows no line
 * break and no leading or trailing space), each within the schema's range (space to ÿ: Latin-1, so
 * accented Portuguese passes but a dash "—" or curly quotes would make every NF-e of the mode invalid).
 */
export function checkJustification(text: unknown): Result<string> {
  const value = typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '';
  const outside = /[^\x20-\xFF]/.exec(value);
  if (outside)
    return fail(
      'invalid',
      'FISCAL.CONTINGENCY_JUSTIFICATION_CHARACTER',
      `The justification (xJust) may not contain "${outside[0]}": SEFAZ's schema takes Latin-1 characters only.`,
      {
        errors: [
          {
            path: '/justification',
            message: `caractere não aceito pela SEFAZ: ${outside[0]}`,
            code: 'FISCAL.CONTINGENCY_JUSTIFICATION_CHARACTER',
            params: { character: outside[0] },
          },
        ],
      },
    );
  if (value.length < CONTINGENCY_JUSTIFICATION_MIN || value.length > CONTINGENCY_JUSTIFICATION_MAX)
    return fail(
      'invalid',
      'FISCAL.CONTINGENCY_JUSTIFICATION',
      `The justification (xJust) must have ${CONTINGENCY_JUSTIFICATION_MIN} to ${CONTINGENCY_JUSTIFICATION_MAX} characters.`,
      {
        errors: [
          {
            path: '/justification',
            message: `de ${CONTINGENCY_JUSTIFICATION_MIN} a ${CONTINGENCY_JUSTIFICATION_MAX} caracteres`,
            code: 'FISCAL.CONTINGENCY_JUSTIFICATION',
            params: { min: CONTINGENCY_JUSTIFICATION_MIN, max: CONTINGENCY_JUSTIFICATION_MAX },
          },
        ],
      },
    );
  return ok(value);
}

/** NFeStatusServico4: 108 paralysed for now, 109 paralysed without forecast (MOC 7.0 §5.5). */
export const statusDown = (status: number): boolean => status === 108 || status === 109;
export const STATUS_IN_OPERATION = 107;

/**
 * After a fault of these kinds nothing reached the state (the connection or the handshake failed), so the
 * normal key needs no reconciliation; after any other (a timeout, an HTTP error) the state may have
 * authorised it.
 */
export const nothingSent = (faultKind: string | undefined): boolean =>
  faultKind === 'unreachable' || faultKind === 'tls';

/**
 * What becomes of the normal-emission NF-e (tpEmis 1) when the state turns out to have authorised it too.
 * Omnihub keeps the SVC one and cancels the state's (event 110111): the goods left with the SVC DANFE,
 * the order and the customer hold the SVC key, and the state's authorisation was never delivered to anyone
 * (its answer was lost). Cancelling the SVC one instead would void the key printed on the DANFE that
 * travelled. The state's one must be cancelled within the NF-e window, 24 h after its authorisation
 * (MOC 7.0 Tabela 5-38, rule 2P12-14; after it, 501): the deadline the panel shows.
 */
export const RECONCILE_WINDOW_MS = 24 * 3_600_000;

export const duplicateJustification = (svcKey: string): string =>
  `NF-e autorizada em duplicidade: substituida pela NF-e emitida em contingencia SVC chave ${svcKey}`;

export type Reconciliation =
  | { readonly state: 'not_sent'; readonly at: string }
  | { readonly state: 'not_found'; readonly at: string }
  | { readonly state: 'online_cancelled'; readonly at: string; readonly protocol: string }
  | { readonly state: 'failed'; readonly at: string; readonly reason: string };
