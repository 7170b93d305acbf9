import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, isAdmin, useAuth } from './auth.tsx';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { ConnectorConsumptionPage } from './connector/consumption-page.tsx';
import { ConnectorInterfacesPage } from './connector/interfaces-page.tsx';
import { ConnectorPlatformsPage } from './connector/platforms-page.tsx';
import { ConnectorTicketsPage } from './connector/tickets-page.tsx';
import { ClosingPage } from './finance/closing-page.tsx';
import { PaymentMethodsPage } from './finance/payment-methods-page.tsx';
import { ReceivablesPage } from './finance/receivables-page.tsx';
import { FiscalDocumentPage } from './fiscal/document-page.tsx';
import { LiveOrdersProvider } from './live.tsx';
import { AccountPage } from './pages/account.tsx';
import { ApiClientsPage } from './pages/api-clients.tsx';
import { AuditPage } from './pages/audit.tsx';
import { CarriersPage } from './pages/carriers.tsx';
import { CatalogPage } from './pages/catalog.tsx';
import { ConferencePage } from './pages/conference.tsx';
import { DeliveryPage } from './pages/delivery.tsx';
import { FiscalContingencyPage } from './pages/fiscal-contingency.tsx';
import { FiscalDocumentsPage } from './pages/fiscal-documents.tsx';
import { FiscalVoidingPage } from './pages/fiscal-voiding.tsx';
import { IntegrationsPage } from './pages/integrations.tsx';
import { LoginPage } from './pages/login.tsx';
import { MessageTemplatesPage } from './pages/message-templates.tsx';
import { NetworkPage } from './pages/network.tsx';
import { OrderDetailPage } from './pages/order-detail.tsx';
import { OutboxPage } from './pages/outbox.tsx';
import { PasswordChangePage } from './pages/password-change.tsx';
import { QueuePage } from './pages/queue.tsx';
import { ReturnReasonsPage } from './pages/return-reasons.tsx';
import { SplitPage } from './pages/split.tsx';
import { StockRequestsPage } from './pages/stock-requests.tsx';
import { TracePage } from './pages/trace.tsx';
import { UsersPage } from './pages/users.tsx';
import { PosPairPage } from './pos/pair-page.tsx';
import { PosApp } from './pos/pos-app.tsx';
import { PosSyncIntervalsPage } from './pos-sync/intervals-page.tsx';
import { PosSyncStorePage } from './pos-sync/store-page.tsx';
import { PosSyncStoresPage } from './pos-sync/stores-page.tsx';
import { Shell } from './shell.tsx';

// The chart library is big: the channel report loads it when opened, not with the back office.
const SalesByChannelPage = lazy(() =>
  import('./pages/sales-by-channel.tsx').then((m) => ({ default: m.SalesByChannelPage })),
);

function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="empty-state">
      <h1>{t('notFoundPage.title')}</h1>
      <Link to="/orders">{t('notFoundPage.back')}</Link>
    </section>
  );
}

function Gate() {
  const { t } = useTranslation();
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <p className="loading">{t('actions.loading')}</p>;
  if (!me) return <LoginPage />;
  if (me.mustChangePassword) return <PasswordChangePage />;
  return (
    <LiveOrdersProvider key={me.id}>
      <Shell>
        <ErrorBoundary resetKey={location.pathname}>
          <Routes>
            <Route path="/" element={<Navigate to="/orders" replace />} />
            <Route path="/orders" element={<QueuePage />} />
            <Route path="/orders/:id" element={<OrderDetailPage />} />
            <Route path="/orders/:id/split" element={<SplitPage />} />
            <Route path="/orders/:id/conference" element={<ConferencePage />} />
            <Route path="/orders/:id/trace" element={<TracePage />} />
            <Route path="/stock-requests" element={<StockRequestsPage />} />
            <Route path="/catalog" element={<CatalogPage />} />
            <Route path="/fiscal/documents" element={<FiscalDocumentsPage />} />
            <Route path="/fiscal/documents/:id" element={<FiscalDocumentPage />} />
            <Route
              path="/reports/sales-by-channel"
              element={
                <Suspense fallback={<p className="loading">{t('actions.loading')}</p>}>
                  <SalesByChannelPage />
                </Suspense>
              }
            />
            <Route path="/fiscal/voiding" element={<FiscalVoidingPage />} />
            <Route path="/fiscal/contingency" element={<FiscalContingencyPage />} />
            <Route path="/network" element={<NetworkPage />} />
            <Route path="/network/:code" element={<NetworkPage />} />
            {isAdmin(me) && <Route path="/delivery/:code?" element={<DeliveryPage />} />}
            {isAdmin(me) && <Route path="/carriers" element={<CarriersPage />} />}
            <Route path="/finance/receivables" element={<ReceivablesPage />} />
            <Route path="/finance/closing" element={<ClosingPage />} />
            <Route path="/finance/payment-methods" element={<PaymentMethodsPage />} />
            {isAdmin(me) && <Route path="/integrations" element={<IntegrationsPage />} />}
            {isAdmin(me) && <Route path="/integrations/interfaces" element={<ConnectorInterfacesPage />} />}
            {isAdmin(me) && <Route path="/integrations/tickets" element={<ConnectorTicketsPage />} />}
            {isAdmin(me) && <Route path="/integrations/consumption" element={<ConnectorConsumptionPage />} />}
            {isAdmin(me) && <Route path="/integrations/platforms" element={<ConnectorPlatformsPage />} />}
            <Route path="/integrations/pos" element={<PosSyncStoresPage />} />
            <Route path="/integrations/pos/:code" element={<PosSyncStorePage />} />
            {isAdmin(me) && <Route path="/integrations/pos-intervals" element={<PosSyncIntervalsPage />} />}
            <Route path="/notifications" element={<OutboxPage />} />
            <Route path="/notifications/templates" element={<MessageTemplatesPage />} />
            {isAdmin(me) && <Route path="/api-clients" element={<ApiClientsPage />} />}
            {isAdmin(me) && <Route path="/audit" element={<AuditPage />} />}
            {isAdmin(me) && <Route path="/users" element={<UsersPage />} />}
            {isAdmin(me) && <Route path="/return-reasons" element={<ReturnReasonsPage />} />}
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </ErrorBoundary>
      </Shell>
    </LiveOrdersProvider>
  );
}

export function App() {
  return (
    <AuthProvider>
      <BrowserRouter>
        <Routes>
          {/* The POS pairs before anyone signs in: outside the gate. */}
          <Route path="/pos/pair" element={<PosPairPage />} />
          {/* The counter: the POS key of the pairing, never a user session. */}
          <Route path="/pos/*" element={<PosApp />} />
          <Route path="*" element={<Gate />} />
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  );
}
