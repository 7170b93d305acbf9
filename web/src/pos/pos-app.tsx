import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { PosOrderPage } from './order-page.tsx';
import { PosPendingPage } from './pending-page.tsx';
import { posKey } from './pos-api.ts';
import { PosShell } from './pos-shell.tsx';
import { PosReturnsPage } from './returns-page.tsx';
import { PosSalePage } from './sale-page.tsx';

/** The counter at `/pos/*`: no sign-in, the paired key or the pairing page. */
export function PosApp() {
  const { t } = useTranslation();
  const location = useLocation();
  if (!posKey()) return <Navigate to="/pos/pair" replace />;
  return (
    <PosShell>
      <ErrorBoundary resetKey={location.pathname}>
        <Routes>
          <Route index element={<PosPendingPage />} />
          <Route path="orders/:number" element={<PosOrderPage />} />
          <Route path="sale" element={<PosSalePage />} />
          <Route path="returns" element={<PosReturnsPage />} />
          <Route
            path="*"
            element={
              <section className="empty-state">
                <Link to="/pos">{t('pos.order.back')}</Link>
              </section>
            }
          />
        </Routes>
      </ErrorBoundary>
    </PosShell>
  );
}
