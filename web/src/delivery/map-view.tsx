import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Experience } from '../api/types.ts';
import { request } from '../api.ts';
import { describeErrorIn } from '../components/error-text.ts';
import { Notice } from '../components/notice.tsx';

/**
 * "Ver mapa": the server's offline SVG of the enabled companies, fetched with the session and shown as an
 * image (an <img> never runs what an SVG might carry). Redrawn when the companies change.
 */
export function MapView({ experience }: { experience: Experience }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version may have other companies: redraw
  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    let url: string | null = null;
    setSrc(null);
    setError(null);
    request('GET', `/api/v1/delivery-experiences/${encodeURIComponent(experience.code)}/map.svg`, {
      signal: abort.signal,
    })
      .then((res) => res.blob())
      .then((blob) => {
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(err);
      });
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [open, experience.code, experience.version]);

  return (
    <section className="card" aria-labelledby="delivery-map-title">
      <h2 id="delivery-map-title">{t('delivery.map.title')}</h2>
      <button type="button" className="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? t('delivery.map.hide') : t('delivery.map.show')}
      </button>
      {open && error ? <Notice kind="error">{describeErrorIn(t, error, 'delivery')}</Notice> : null}
      {open && !src && !error && <p className="loading">{t('delivery.map.loading')}</p>}
      {open && src && (
        <div className="map-frame">
          <img src={src} alt={t('delivery.map.alt', { code: experience.code })} width={800} height={560} />
        </div>
      )}
    </section>
  );
}
