import { Type } from '@sinclair/typebox';
import type { Db } from '../db/index.ts';
import { fail } from '../errors.ts';
import { actors, principalOf } from '../http/access.ts';
import { unwrap } from '../http/problems.ts';
import { StringEnum } from '../http/schemas.ts';
import type { App } from '../http/server.ts';
import { getJob, type Job } from './service.ts';

const JobSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    queue: Type.String(),
    status: StringEnum(['queued', 'running', 'done', 'failed'] as const),
    progress: Type.Object({
      done: Type.Integer(),
      total: Type.Union([Type.Integer(), Type.Null()]),
      percent: Type.Integer({ minimum: 0, maximum: 100 }),
    }),
    result: Type.Unknown({ description: 'What the job reports when done; its shape depends on the queue' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'The last attempt’s error' }),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'Job' },
);

/** A finished job is 100 % even when its selection shrank while it ran. */
export function percentOf(job: Pick<Job, 'status' | 'progressDone' | 'progressTotal'>): number {
  if (job.status === 'done') return 100;
  if (!job.progressTotal) return 0;
  return Math.min(100, Math.floor((job.progressDone * 100) / job.progressTotal));
}

/**
 * Job status for whoever may see it: the job's owner node must lie in the caller's subtree, and an API
 * client must have started the job itself.
 * `nodePath` resolves a node id to its path; it is passed in because plumbing knows no business context.
 */
export function registerJobRoutes(
  app: App,
  db: Db,
  nodePath: (nodeId: string) => Promise<string | undefined>,
) {
  app.get(
    '/api/v1/jobs/:id',
    {
      config: { access: actors },
      schema: {
        tags: ['platform'],
        summary: 'Status and progress of a background job you or your subtree started',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: JobSchema },
      },
    },
    async (req) => {
      const viewer = principalOf(req);
      const job = await getJob(db, req.params.id);
      const ownerPath = job?.ownerNodeId ? await nodePath(job.ownerNodeId) : undefined;
      // An API key sees only the jobs it started: the platform's key sits at the network's root, above
      // every admin's bulk change, which are none of its business.
      const readable =
        job &&
        ownerPath?.startsWith(viewer.nodePath) &&
        (viewer.kind === 'user' || job.createdBy === viewer.id);
      if (!readable) {
        return unwrap(
          fail('not_found', 'JOBS.NOT_FOUND', `There is no job ${req.params.id} visible to you.`),
        );
      }
      return {
        id: job.id,
        queue: job.queue,
        status: job.status,
        progress: { done: job.progressDone, total: job.progressTotal, percent: percentOf(job) },
        result: job.result ?? null,
        error: job.lastError,
        createdAt: job.createdAt.toISOString(),
        finishedAt: job.finishedAt?.toISOString() ?? null,
      };
    },
  );
}
