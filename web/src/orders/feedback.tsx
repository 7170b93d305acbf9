import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** What a screen tells the clerk after an action: a sentence, sometimes with the lines it is about. */
export interface Feedback {
  kind: 'success' | 'error' | 'info';
  text: string;
  lines?: string[];
  note?: string;
  /** What the clerk can do next from the notice (open the DANFE, download the XML). */
  actions?: { key: string; label: string; run(): void }[];
  /** Screens the notice points to (the order the lines were re-routed to). */
  links?: { key: string; label: string; to: string }[];
}

export function FeedbackNotice({ feedback, onDismiss }: { feedback: Feedback; onDismiss?(): void }) {
  const { t } = useTranslation();
  return (
    <div className={`notice ${feedback.kind} feedback`} role={feedback.kind === 'error' ? 'alert' : 'status'}>
      <div>
        <p>{feedback.text}</p>
        {feedback.lines && feedback.lines.length > 0 && (
          <ul>
            {feedback.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        {feedback.note && <p>{feedback.note}</p>}
        {feedback.actions && feedback.actions.length > 0 && (
          <p className="feedback-actions">
            {feedback.actions.map((a) => (
              <button key={a.key} type="button" className="button small" onClick={a.run}>
                {a.label}
              </button>
            ))}
          </p>
        )}
        {feedback.links && feedback.links.length > 0 && (
          <p className="feedback-actions">
            {feedback.links.map((l) => (
              <Link key={l.key} to={l.to}>
                {l.label}
              </Link>
            ))}
          </p>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="notice-close" onClick={onDismiss}>
          <span aria-hidden="true">×</span>
          <span className="visually-hidden">{t('actions.close')}</span>
        </button>
      )}
    </div>
  );
}
