import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog, type ReasonField } from '../components/confirm-dialog.tsx';
import { describeErrorIn } from '../components/error-text.ts';

export interface Question {
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  reason?: ReasonField;
  /**
   * Does the change. Resolves to a sentence to show in the dialog (and keep it open for another try),
   * or to nothing to close it; a thrown API error is shown in the dialog in the clerk's words.
   */
  run(reason: string): Promise<string | undefined>;
}

/**
 * One confirmation dialog per screen, asked by whatever needs a "Sim?" before changing data (status
 * changes, the status re-send). One <dialog> only, so its title id stays unique on the page.
 */
export function useConfirm() {
  const { t } = useTranslation();
  const [question, setQuestion] = useState<Question | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);

  const ask = useCallback((q: Question) => {
    setError(null);
    setQuestion(q);
  }, []);

  const confirm = async (reason: string) => {
    if (!question || running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      const problem = await question.run(reason);
      if (problem) setError(problem);
      else setQuestion(null);
    } catch (err) {
      setError(describeErrorIn(t, err, 'orders'));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  const dialog = (
    <ConfirmDialog
      open={question !== null}
      title={question?.title ?? ''}
      message={question?.message}
      confirmLabel={question?.confirmLabel}
      danger={question?.danger}
      reason={question?.reason}
      busy={busy}
      error={error}
      onConfirm={(reason) => void confirm(reason)}
      onCancel={() => setQuestion(null)}
    />
  );
  return { ask, dialog };
}
