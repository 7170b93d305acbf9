/**
 * The store's logo on the label (CD_LOGOTIPO_EMP): a `data:image/png|jpeg;base64,…` URL or an http(s) URL
 * fetched with a short timeout and a size cap, and kept for a while so a batch of a hundred labels fetches it
 * once. Anything that is not a PNG or JPEG within the cap, or that does not answer in time, is no logo: the
 * label prints without it, never fails.
 */

/** Bigger than any logo a label needs; a larger answer is not read past this. */
export const MAX_LOGO_BYTES = 512 * 1024;
const TIMEOUT_MS = 2_000;
const KEEP_MS = 10 * 60_000;
const KEEP_FAILED_MS = 60_000;
const CACHE_ENTRIES = 64;

const cache = new Map<string, { logo: Buffer | null; until: number }>();

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** PNG or JPEG by its signature: what pdfkit draws. */
export const isImage = (bytes: Buffer) =>
  bytes.subarray(0, PNG.length).equals(PNG) || bytes.subarray(0, JPEG.length).equals(JPEG);

/** The image of a data URL (PNG or JPEG, base64), or null. */
export function imageOfDataUrl(url: string): Buffer | null {
  const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=\s]+)$/.exec(url);
  if (!m) return null;
  const bytes = Buffer.from(m[2]!, 'base64');
  return bytes.length <= MAX_LOGO_BYTES && isImage(bytes) ? bytes : null;
}

export async function loadLogo(url: string | null | undefined, now = Date.now()): Promise<Buffer | null> {
  if (!url) return null;
  if (url.startsWith('data:')) return imageOfDataUrl(url);
  const kept = cache.get(url);
  if (kept && kept.until > now) return kept.logo;
  const logo = await fetchImage(url);
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(url, { logo, until: now + (logo ? KEEP_MS : KEEP_FAILED_MS) });
  return logo;
}

async function fetchImage(url: string): Promise<Buffer | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  try {
    const response = await fetch(parsed, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' });
    if (!response.ok || !response.body) return null;
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_LOGO_BYTES) {
      await response.body.cancel();
      return null;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > MAX_LOGO_BYTES) return null;
      chunks.push(Buffer.from(chunk));
    }
    const bytes = Buffer.concat(chunks);
    return isImage(bytes) ? bytes : null;
  } catch {
    return null;
  }
}
