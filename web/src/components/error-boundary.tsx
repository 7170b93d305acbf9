import { Component, type ReactNode } from 'react';
import i18n from '../i18n/index.ts';

/**
 * A screen that fails to render shows a sentence and a way out, never a blank page or a stack trace.
 * `resetKey` (the address) clears it when the user navigates elsewhere.
 */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section className="empty-state" role="alert">
        <h1>{i18n.t('crash.title')}</h1>
        <p>{i18n.t('crash.detail')}</p>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          {i18n.t('crash.reload')}
        </button>
      </section>
    );
  }
}
