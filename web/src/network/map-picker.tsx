import { type MouseEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
// The delivery experiences' offline map (server-drawn SVG) and this picker share one projection and graticule.
import { defaultFrame, degreeLabel, fitProjection, graticuleStep } from '../../../src/delivery/map-svg.ts';

export interface Point {
  latitude: number;
  longitude: number;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const coordinate = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 6, maximumFractionDigits: 6 });

/**
 * "Escolher no mapa": the offline map, drawn here (no tile server), around the point chosen so far or the
 * municipality's centre, with the network's stores for reference. A click sets the coordinates under it.
 */
export function MapPicker(props: {
  value: Point | null;
  cityPoint: (Point & { name: string }) | null;
  stores: readonly (Point & { code: string; name: string })[];
  onPick(point: Point): void;
}) {
  const { t } = useTranslation();
  const frame = defaultFrame;
  // The frame is fitted once, when the map opens: clicking moves the pin, not the map.
  const [anchor] = useState<Point[]>(() => {
    const start = props.value ?? props.cityPoint;
    if (start) return [start];
    return props.stores.length ? [...props.stores] : [{ latitude: -23.55, longitude: -46.63 }];
  });
  const projection = useMemo(() => fitProjection(anchor, defaultFrame), [anchor]);
  const { project, bounds } = projection;

  const pick = (e: MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - rect.left) * frame.width) / rect.width;
    const y = ((e.clientY - rect.top) * frame.height) / rect.height;
    const p = projection.invert({ x, y });
    props.onPick({ latitude: round6(p.latitude), longitude: round6(p.longitude) });
  };

  const lonStep = graticuleStep(bounds.maxLon - bounds.minLon);
  const latStep = graticuleStep(bounds.maxLat - bounds.minLat);
  const lons: number[] = [];
  for (let lon = Math.ceil(bounds.minLon / lonStep) * lonStep; lon <= bounds.maxLon; lon += lonStep)
    lons.push(lon);
  const lats: number[] = [];
  for (let lat = Math.ceil(bounds.minLat / latStep) * latStep; lat <= bounds.maxLat; lat += latStep)
    lats.push(lat);
  const inside = (p: { x: number; y: number }) =>
    p.x >= 0 && p.x <= frame.width && p.y >= 0 && p.y <= frame.height;
  const city = props.cityPoint ? project(props.cityPoint) : null;
  const chosen = props.value ? project(props.value) : null;

  return (
    <div className="map-picker">
      <p className="hint">{t('network.manage.map.hint')}</p>
      <div className="map-frame">
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: the coordinates can be typed in the fields beside the map */}
        <svg
          viewBox={`0 0 ${frame.width} ${frame.height}`}
          role="img"
          aria-label={t('network.manage.map.alt')}
          className="map-picker-svg"
          onClick={pick}
        >
          <rect x="0" y="0" width={frame.width} height={frame.height} fill="#f4f8fb" />
          <g stroke="#c9d6e2" strokeWidth="1">
            {lons.map((lon) => {
              const { x } = project({ latitude: 0, longitude: lon });
              return <line key={`lon${lon}`} x1={x} y1={0} x2={x} y2={frame.height} />;
            })}
            {lats.map((lat) => {
              const { y } = project({ latitude: lat, longitude: bounds.minLon });
              return <line key={`lat${lat}`} x1={0} y1={y} x2={frame.width} y2={y} />;
            })}
          </g>
          <g fontSize="11" fill="#6b7c8f">
            {lons.map((lon) => (
              <text
                key={`tlon${lon}`}
                x={project({ latitude: 0, longitude: lon }).x + 3}
                y={frame.height - 6}
              >
                {degreeLabel(lon, 'lon')}
              </text>
            ))}
            {lats.map((lat) => (
              <text key={`tlat${lat}`} x={4} y={project({ latitude: lat, longitude: bounds.minLon }).y - 3}>
                {degreeLabel(lat, 'lat')}
              </text>
            ))}
          </g>
          {props.stores.map((s) => {
            const p = project(s);
            if (!inside(p)) return null;
            return (
              <g key={s.code} className="map-store">
                <circle cx={p.x} cy={p.y} r="6" fill="#1f6feb" stroke="#fff" strokeWidth="2" />
                <text x={p.x + 9} y={p.y + 4} fontSize="12" fill="#0d2238">
                  <tspan fontWeight="bold">{s.code}</tspan> {s.name}
                </text>
              </g>
            );
          })}
          {city && inside(city) && (
            <g className="map-city">
              <circle
                cx={city.x}
                cy={city.y}
                r="9"
                fill="none"
                stroke="#8a4b00"
                strokeWidth="2"
                strokeDasharray="3 2"
              />
              <title>{t('network.manage.map.cityPoint')}</title>
            </g>
          )}
          {chosen && inside(chosen) && (
            <g className="map-chosen">
              <circle cx={chosen.x} cy={chosen.y} r="8" fill="#d1242f" stroke="#fff" strokeWidth="2" />
              <title>{t('network.manage.map.chosen')}</title>
            </g>
          )}
        </svg>
      </div>
      {props.value && (
        <p className="hint" aria-live="polite">
          {t('network.manage.map.picked', {
            latitude: coordinate.format(props.value.latitude),
            longitude: coordinate.format(props.value.longitude),
          })}
        </p>
      )}
      {props.cityPoint && (
        <button
          type="button"
          className="button"
          onClick={() =>
            props.cityPoint &&
            props.onPick({ latitude: props.cityPoint.latitude, longitude: props.cityPoint.longitude })
          }
        >
          {t('network.manage.map.useCity', { city: props.cityPoint.name })}
        </button>
      )}
    </div>
  );
}
