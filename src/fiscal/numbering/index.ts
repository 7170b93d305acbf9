/**
 * Voiding numbers (inutilização, issue 14 §5): the requests to NFeInutilizacao4, their outbox job, the gaps
 * of each series and the night job that voids the old ones.
 */
export { voidingJobHandlers } from './job.ts';
export { registerVoidingRoutes, type VoidingRouteOptions } from './routes.ts';
export { NIGHT_JOB, numberVoided, resendStuckRanges, VOID_QUEUE, voidAgedGaps } from './service.ts';
