import type { Actor } from '../src/platform/actors.ts';

export interface MatrixRow {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route as documented in OpenAPI ({param} style). */
  route: string;
  /** A concrete URL to call. */
  path: string;
  body?: unknown;
  /** Actors the route lets in (they may still get a business 4xx, never 401/403 AUTH.FORBIDDEN). */
  allow: readonly Actor[];
  /** Actors let in whose target is not visible to them: 404. */
  hidden?: readonly Actor[];
}

const everyone: Actor[] = [
  'network_admin',
  'central_admin',
  'store_manager',
  'store_staff',
  'platform',
  'pos',
];
const backOffice: Actor[] = ['network_admin', 'central_admin', 'store_manager', 'store_staff'];
const admins: Actor[] = ['network_admin', 'central_admin'];
const uuid = '00000000-0000-4000-8000-000000000000';

/**
 * Who may call what. Mutations are sent with bodies that fail validation or target nothing,
 * so the table proves access without changing the demo data.
 */
export const endpointMatrix: MatrixRow[] = [
  { method: 'GET', route: '/api/v1/auth/me', path: '/api/v1/auth/me', allow: everyone },
  { method: 'POST', route: '/api/v1/auth/login', path: '/api/v1/auth/login', body: {}, allow: everyone },
  // Logout is last-but-harmless: API clients have no session, users' are re-created by token().
  { method: 'GET', route: '/api/v1/users', path: '/api/v1/users', allow: admins },
  { method: 'POST', route: '/api/v1/users', path: '/api/v1/users', body: {}, allow: admins },
  {
    method: 'PATCH',
    route: '/api/v1/users/{id}',
    path: `/api/v1/users/${uuid}`,
    body: { active: true },
    allow: admins,
  },
  { method: 'GET', route: '/api/v1/api-clients', path: '/api/v1/api-clients', allow: admins },
  { method: 'POST', route: '/api/v1/api-clients', path: '/api/v1/api-clients', body: {}, allow: admins },
  { method: 'DELETE', route: '/api/v1/api-clients/{id}', path: `/api/v1/api-clients/${uuid}`, allow: admins },
  { method: 'GET', route: '/api/v1/nodes', path: '/api/v1/nodes', allow: backOffice },
  { method: 'GET', route: '/api/v1/nodes/{code}', path: '/api/v1/nodes/11', allow: backOffice },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}',
    path: '/api/v1/nodes/8',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  { method: 'POST', route: '/api/v1/nodes', path: '/api/v1/nodes', body: {}, allow: admins },
  { method: 'PATCH', route: '/api/v1/nodes/{code}', path: '/api/v1/nodes/11', body: {}, allow: admins },
  { method: 'DELETE', route: '/api/v1/nodes/{code}', path: '/api/v1/nodes/NOPE', allow: admins },
  { method: 'GET', route: '/api/v1/parameters', path: '/api/v1/parameters', allow: backOffice },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/parameters',
    path: '/api/v1/nodes/11/parameters',
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/parameters',
    path: '/api/v1/nodes/8/parameters',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/parameters/{param}',
    path: '/api/v1/nodes/11/parameters/9253',
    allow: backOffice,
  },
  {
    method: 'PUT',
    route: '/api/v1/nodes/{code}/parameters/{param}',
    path: '/api/v1/nodes/11/parameters/9253',
    body: { value: 'not a boolean' },
    allow: admins,
  },
  {
    method: 'DELETE',
    route: '/api/v1/nodes/{code}/parameters/{param}',
    path: '/api/v1/nodes/NOPE/parameters/9253',
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/fiscal-operations',
    path: '/api/v1/nodes/11/fiscal-operations',
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/fiscal-operations',
    path: '/api/v1/nodes/8/fiscal-operations',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  {
    method: 'PUT',
    route: '/api/v1/nodes/{code}/fiscal-operations/{operation}',
    path: '/api/v1/nodes/11/fiscal-operations/sale',
    body: { cfopIntrastate: '6102', cfopInterstate: '6102' },
    allow: admins,
  },
  {
    method: 'DELETE',
    route: '/api/v1/nodes/{code}/fiscal-operations/{operation}',
    path: '/api/v1/nodes/NOPE/fiscal-operations/sale',
    allow: admins,
  },
  { method: 'GET', route: '/api/v1/products', path: '/api/v1/products', allow: everyone },
  { method: 'GET', route: '/api/v1/products/{sku}', path: '/api/v1/products/CAM-001', allow: everyone },
  {
    method: 'GET',
    route: '/api/v1/products/{sku}',
    path: '/api/v1/products/CAM-004',
    allow: everyone,
    hidden: ['platform'],
  },
  { method: 'POST', route: '/api/v1/products', path: '/api/v1/products', body: {}, allow: admins },
  {
    method: 'PATCH',
    route: '/api/v1/products/{sku}',
    path: '/api/v1/products/CAM-001',
    body: {},
    allow: admins,
  },
  {
    method: 'PUT',
    route: '/api/v1/products/{sku}/ecommerce',
    path: '/api/v1/products/NOPE/ecommerce',
    body: {},
    allow: admins,
  },
  {
    method: 'POST',
    route: '/api/v1/products/ecommerce/bulk',
    path: '/api/v1/products/ecommerce/bulk',
    body: {},
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/products/{sku}/prices',
    path: '/api/v1/products/CAM-001/prices',
    allow: backOffice,
  },
  {
    method: 'PUT',
    route: '/api/v1/products/{sku}/prices/{nodeCode}',
    path: '/api/v1/products/CAM-001/prices/11',
    body: {},
    allow: admins,
  },
  {
    method: 'DELETE',
    route: '/api/v1/products/{sku}/prices/{nodeCode}',
    path: '/api/v1/products/NOPE/prices/11',
    allow: admins,
  },
  { method: 'GET', route: '/api/v1/promotions', path: '/api/v1/promotions', allow: everyone },
  {
    method: 'GET',
    route: '/api/v1/promotions/{code}',
    path: '/api/v1/promotions/VERAO-ECOM',
    allow: everyone,
    hidden: ['pos'],
  },
  { method: 'POST', route: '/api/v1/promotions', path: '/api/v1/promotions', body: {}, allow: admins },
  {
    method: 'PATCH',
    route: '/api/v1/promotions/{code}',
    path: '/api/v1/promotions/VERAO-ECOM',
    body: {},
    allow: admins,
  },
  { method: 'GET', route: '/api/v1/jobs/{id}', path: `/api/v1/jobs/${uuid}`, allow: everyone },
  { method: 'GET', route: '/api/v1/stock', path: '/api/v1/stock?sku=CAM-001', allow: everyone },
  { method: 'GET', route: '/api/v1/stock/movements', path: '/api/v1/stock/movements', allow: backOffice },
  {
    method: 'GET',
    route: '/api/v1/stock/movements',
    path: '/api/v1/stock/movements?storeCode=8',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  {
    method: 'POST',
    route: '/api/v1/stock/adjustments',
    path: '/api/v1/stock/adjustments',
    body: {},
    allow: [...admins, 'store_manager'],
  },
  {
    method: 'POST',
    route: '/api/v1/stock/reservations',
    path: '/api/v1/stock/reservations',
    body: {},
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/stock/reservations/{id}',
    path: `/api/v1/stock/reservations/${uuid}`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/stock/reservations/{id}/release',
    path: `/api/v1/stock/reservations/${uuid}/release`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/api-clients/{id}/webhook',
    path: `/api/v1/api-clients/${uuid}/webhook`,
    allow: admins,
  },
  {
    method: 'PUT',
    route: '/api/v1/api-clients/{id}/webhook',
    path: `/api/v1/api-clients/${uuid}/webhook`,
    body: {},
    allow: admins,
  },
  {
    method: 'DELETE',
    route: '/api/v1/api-clients/{id}/webhook',
    path: `/api/v1/api-clients/${uuid}/webhook`,
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/webhook-deliveries',
    path: '/api/v1/webhook-deliveries',
    allow: [...admins, 'platform'],
  },
  {
    method: 'GET',
    route: '/api/v1/webhook-deliveries/{id}',
    path: `/api/v1/webhook-deliveries/${uuid}`,
    allow: [...admins, 'platform'],
  },
  { method: 'GET', route: '/api/v1/orders', path: '/api/v1/orders', allow: backOffice },
  {
    method: 'GET',
    route: '/api/v1/orders',
    path: '/api/v1/orders?storeCode=8',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  { method: 'POST', route: '/api/v1/orders', path: '/api/v1/orders', body: {}, allow: ['platform'] },
  { method: 'GET', route: '/api/v1/orders/{id}', path: `/api/v1/orders/${uuid}`, allow: everyone },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/cancel',
    path: `/api/v1/orders/${uuid}/cancel`,
    body: {},
    allow: ['platform'],
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/transitions',
    path: `/api/v1/orders/${uuid}/transitions`,
    body: {},
    allow: [...backOffice, 'pos'],
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/accept',
    path: `/api/v1/orders/${uuid}/accept`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/orders/{id}/webhook-deliveries',
    path: `/api/v1/orders/${uuid}/webhook-deliveries`,
    allow: [...backOffice, 'platform'],
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/status-resend',
    path: `/api/v1/orders/${uuid}/status-resend`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/orders/{id}/picking-slip.pdf',
    path: `/api/v1/orders/${uuid}/picking-slip.pdf`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/picking-slips.pdf',
    path: `/api/v1/picking-slips.pdf?orderId=${uuid}`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/delivery-experiences',
    path: '/api/v1/delivery-experiences',
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/delivery-experiences',
    path: '/api/v1/delivery-experiences',
    body: {},
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/delivery-experiences/{code}',
    path: '/api/v1/delivery-experiences/SEDEX',
    allow: backOffice,
  },
  {
    method: 'PATCH',
    route: '/api/v1/delivery-experiences/{code}',
    path: '/api/v1/delivery-experiences/SEDEX',
    body: {},
    allow: admins,
  },
  {
    method: 'DELETE',
    route: '/api/v1/delivery-experiences/{code}',
    path: '/api/v1/delivery-experiences/NOPE',
    allow: admins,
  },
  {
    method: 'PUT',
    route: '/api/v1/delivery-experiences/{code}/stores',
    path: '/api/v1/delivery-experiences/SEDEX/stores',
    body: {},
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/delivery-experiences/{code}/map.svg',
    path: '/api/v1/delivery-experiences/SEDEX/map.svg',
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/carrier-transit-times',
    path: '/api/v1/carrier-transit-times',
    allow: backOffice,
  },
  {
    method: 'PUT',
    route: '/api/v1/carrier-transit-times',
    path: '/api/v1/carrier-transit-times',
    body: {},
    allow: admins,
  },
  {
    method: 'POST',
    route: '/api/v1/delivery-simulations',
    path: '/api/v1/delivery-simulations',
    body: {},
    allow: [...backOffice, 'platform'],
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/invoice',
    path: `/api/v1/orders/${uuid}/invoice`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/orders/{id}/fiscal-documents',
    path: `/api/v1/orders/${uuid}/fiscal-documents`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/fiscal-documents/{id}',
    path: `/api/v1/fiscal-documents/${uuid}`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/fiscal-documents/{id}/xml',
    path: `/api/v1/fiscal-documents/${uuid}/xml`,
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/fiscal-documents/{id}/danfe.pdf',
    path: `/api/v1/fiscal-documents/${uuid}/danfe.pdf`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/fiscal-documents/{id}/cancel',
    path: `/api/v1/fiscal-documents/${uuid}/cancel`,
    body: { justification: 'Teste de acesso ao cancelamento' },
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/fiscal-settings',
    path: '/api/v1/nodes/11/fiscal-settings',
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/nodes/{code}/fiscal-settings',
    path: '/api/v1/nodes/8/fiscal-settings',
    allow: backOffice,
    hidden: ['store_manager', 'store_staff'],
  },
  {
    method: 'PUT',
    route: '/api/v1/nodes/{code}/fiscal-settings',
    path: '/api/v1/nodes/11/fiscal-settings',
    body: { taxRegime: 3 },
    allow: admins,
  },
  {
    method: 'GET',
    route: '/api/v1/orders/{id}/split-options',
    path: `/api/v1/orders/${uuid}/split-options`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/split',
    path: `/api/v1/orders/${uuid}/split`,
    body: { allocations: [] },
    allow: backOffice,
  },
  { method: 'GET', route: '/api/v1/stock-requests', path: '/api/v1/stock-requests', allow: backOffice },
  {
    method: 'GET',
    route: '/api/v1/stock-requests/{id}',
    path: `/api/v1/stock-requests/${uuid}`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/stock-requests/{id}/accept',
    path: `/api/v1/stock-requests/${uuid}/accept`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/stock-requests/{id}/reject',
    path: `/api/v1/stock-requests/${uuid}/reject`,
    body: { reason: 'teste' },
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/stock-requests/{id}/invoice',
    path: `/api/v1/stock-requests/${uuid}/invoice`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/orders/{id}/reroute',
    path: `/api/v1/orders/${uuid}/reroute`,
    body: { lines: [{ sku: 'CAM-001', quantity: 1 }], reason: 'teste' },
    allow: backOffice,
  },
  {
    method: 'GET',
    route: '/api/v1/orders/{id}/trace',
    path: `/api/v1/orders/${uuid}/trace`,
    allow: backOffice,
  },
  {
    method: 'POST',
    route: '/api/v1/stock-requests/{id}/receive',
    path: `/api/v1/stock-requests/${uuid}/receive`,
    allow: backOffice,
  },
];

/** Logout ends the caller's session, so it runs in its own test rather than in the table. */
export const excludedFromMatrix = [
  'POST /api/v1/auth/logout',
  // A stream that stays open: its access is checked over a real socket in src/orders/live.int.test.ts.
  'GET /api/v1/orders/events',
];
