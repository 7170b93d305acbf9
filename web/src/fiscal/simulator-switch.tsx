import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SefazSimulator } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { Switch } from '../components/switch.tsx';
import { formatDateTime } from '../format.ts';

/**
 * "SEFAZ simulado: disponível / indisponível": the demo's authoriser, which the network administrator
 * switches off to show the NFC-e contingency, and on again to see the documents transmitted.
 */
export function SimulatorSwitch() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [state, setState] = useState<SefazSimulator | null>(null);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    api<SefazSimulator>('GET', '/api/v1/fiscal/simulator', undefined, abort.signal)
      .then(setState)
      .catch(() => {});
    return () => abort.abort();
  }, []);
  if (!state) return null;
  const admin = me?.actor === 'network_admin';
  const change = async (available: boolean) => {
    setBusy(true);
    setFeedback(null);
    try {
      setState(await api<SefazSimulator>('PUT', '/api/v1/fiscal/simulator', { available }));
      setFeedback({
        kind: 'success',
        text: t(available ? 'fiscal.simulator.switchedOn' : 'fiscal.simulator.switchedOff'),
      });
    } catch (err) {
      setFeedback({ kind: 'error', text: describeErrorIn(t, err, 'network') });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="simulator-switch" data-testid="sefaz-simulator">
      <h3 className="simulator-switch-title">{t('fiscal.simulator.title')}</h3>
      <p className="hint">{t('fiscal.simulator.hint')}</p>
      <Switch
        checked={state.available}
        label={t('fiscal.simulator.label')}
        onText={t('fiscal.simulator.on')}
        offText={t('fiscal.simulator.off')}
        disabled={!admin}
        busy={busy}
        title={admin ? undefined : t('fiscal.simulator.readOnly')}
        onChange={(next) => void change(next)}
      />
      {state.changedAt && (
        <p className="hint">{t('fiscal.simulator.changedAt', { at: formatDateTime(state.changedAt) })}</p>
      )}
      {feedback && <Notice kind={feedback.kind}>{feedback.text}</Notice>}
    </div>
  );
}
