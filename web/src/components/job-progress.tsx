import { useEffect, useState } from 'react';
import type { Job } from '../api/types.ts';
import { api } from '../api.ts';

const POLL_MS = 300;

/**
 * Follows a background job (GET /api/v1/jobs/{id}) until it is done or failed. A failed poll (network
 * blip) is retried; only a refusal (404/403) ends the watch, as an error.
 */
export function useJob<R>(jobId: string | null): { job: Job<R> | null; error: unknown } {
  const [job, setJob] = useState<Job<R> | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setJob(null);
    setError(null);
    if (!jobId) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const next = await api<Job<R>>('GET', `/api/v1/jobs/${jobId}`, undefined, abort.signal);
        failures = 0;
        setJob(next);
        if (next.status === 'done' || next.status === 'failed') return;
      } catch (err) {
        if (abort.signal.aborted) return;
        const status = (err as { status?: number }).status;
        if (status === 403 || status === 404 || ++failures > 20) {
          setError(err);
          return;
        }
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [jobId]);

  return { job, error };
}

/** The bar of a job and its words ("x de y produtos", "57 %"), announced politely as it moves. */
export function JobProgress(props: {
  percent: number;
  label: string;
  countText: string;
  percentText: string;
}) {
  return (
    <div className="job-progress">
      <progress max={100} value={props.percent} aria-label={props.label} />
      <p className="job-progress-text" aria-live="polite">
        <span>{props.countText}</span>
        <strong data-testid="job-percent">{props.percentText}</strong>
      </p>
    </div>
  );
}
