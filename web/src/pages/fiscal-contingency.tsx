import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SvcMode } from '../api/types.ts';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';
import { useLoad } from '../components/use-load.ts';
import { ContingencyDocuments } from '../fiscal/contingency-documents.tsx';
import { ContingencyModes } from '../fiscal/contingency-modes.tsx';
import { SimulatorSwitch } from '../fiscal/simulator-switch.tsx';
import '../fiscal/contingency-panel.css';

/**
 * Fiscal → Contingência (issue 14 §4): the NF-e contingency in SVC per store, with its alarm and the
 * enter/leave actions, and the documents in contingency with their deadline.
 */
export function FiscalContingencyPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [round, setRound] = useState(0);
  const [feedback, setFeedback] = useState<string | null>(null);
  const modes = useLoad(
    async (signal) =>
      (await api<{ items: SvcMode[] }>('GET', '/api/v1/fiscal/contingency/svc', undefined, signal)).items,
    [round],
  );
  const mayDecide =
    me?.actor === 'network_admin' || me?.actor === 'central_admin' || me?.actor === 'store_manager';
  return (
    <section className="fiscal-contingency-page" aria-labelledby="fiscal-contingency-title">
      <header className="page-header">
        <h1 id="fiscal-contingency-title">{t('fiscal.panel.title')}</h1>
        <p className="hint">{t('fiscal.panel.intro')}</p>
      </header>
      {feedback && <Notice kind="success">{feedback}</Notice>}
      {modes.error ? <Notice kind="error">{describeErrorIn(t, modes.error, 'fiscal')}</Notice> : null}
      {!modes.data && !modes.error && <p className="loading">{t('actions.loading')}</p>}
      {modes.data && (
        <ContingencyModes
          modes={modes.data}
          mayDecide={mayDecide}
          onChanged={(_mode, text) => {
            setFeedback(text);
            setRound(round + 1);
          }}
        />
      )}
      <ContingencyDocuments mayTransmit={mayDecide} round={round} />
      <SimulatorSwitch />
    </section>
  );
}
