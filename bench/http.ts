/**
 * One API call over HTTP as a client makes it, for the benchmarks' setup steps (the timed load goes through
 * autocannon): a bearer token, a JSON body, the answer's status and parsed body.
 */
export async function call(
  base: string,
  method: string,
  p: string,
  auth: string | undefined,
  body?: unknown,
) {
  const res = await fetch(base + p, {
    method,
    headers: {
      ...(auth && { authorization: `Bearer ${auth}` }),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
