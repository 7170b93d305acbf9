import { useTranslation } from 'react-i18next';
import type { NotificationDetails } from '../api/types.ts';

/**
 * What a message said: the subject, the e-mail's HTML in a sandboxed frame (no scripts, no same origin: an
 * e-mail's HTML never runs in the back office) and the text part.
 */
export function MessagePreview({ message }: { message: NotificationDetails }) {
  const { t } = useTranslation();
  if (message.text === null) return <p className="hint">{t('notifications.outbox.preview.notRendered')}</p>;
  return (
    <div className="message-preview" data-testid="message-preview">
      {message.subject && (
        <p>
          <strong>{t('notifications.outbox.preview.subject')}:</strong> {message.subject}
        </p>
      )}
      {message.html && (
        <>
          <h3>{t('notifications.outbox.preview.html')}</h3>
          <iframe
            className="message-frame"
            title={t('notifications.outbox.preview.frameTitle')}
            sandbox=""
            srcDoc={message.html}
          />
        </>
      )}
      <h3>{t('notifications.outbox.preview.text')}</h3>
      <pre className="message-text">{message.text}</pre>
    </div>
  );
}
