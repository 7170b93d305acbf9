/**
 * The offline map of an experience's companies (PDVFM093's "Ver Mapa" without a tile server): an
 * equirectangular projection fitted to the stores' coordinates with a margin, a light graticule with
 * degree labels, each store a dot with its code and name. Pure: text in, SVG text out. The labels are
 * pt-BR, as the back office shows the image as it is (like the picking slip's). The back office's map picker
 * (web/src/network/map-picker.tsx) draws with the same projection and graticule.
 */

export interface MapPoint {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
}

export interface Frame {
  width: number;
  height: number;
  margin: number;
}

export const defaultFrame: Frame = { width: 800, height: 560, margin: 70 };

/** Degrees of latitude and longitude the map shows at least, so one store (or two close ones) is not a blow-up. */
const MIN_SPAN = 0.5;

export interface Projection {
  project(p: { latitude: number; longitude: number }): { x: number; y: number };
  /** The inverse: the coordinates under a point of the frame (a click on the map). */
  invert(p: { x: number; y: number }): { latitude: number; longitude: number };
  /** The degrees the drawing area covers (after the margin). */
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number };
}

/**
 * x ∝ longitude · cos(mid-latitude), y ∝ −latitude, one scale for both axes (shapes keep their aspect),
 * centred in the frame; every point lands inside [margin, size − margin].
 */
export function fitProjection(points: readonly { latitude: number; longitude: number }[], frame: Frame) {
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  let minLat = points.length ? Math.min(...lats) : -25;
  let maxLat = points.length ? Math.max(...lats) : -20;
  let minLon = points.length ? Math.min(...lons) : -50;
  let maxLon = points.length ? Math.max(...lons) : -45;
  if (maxLat - minLat < MIN_SPAN) {
    const mid = (maxLat + minLat) / 2;
    minLat = mid - MIN_SPAN / 2;
    maxLat = mid + MIN_SPAN / 2;
  }
  if (maxLon - minLon < MIN_SPAN) {
    const mid = (maxLon + minLon) / 2;
    minLon = mid - MIN_SPAN / 2;
    maxLon = mid + MIN_SPAN / 2;
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const innerW = frame.width - 2 * frame.margin;
  const innerH = frame.height - 2 * frame.margin;
  const scale = Math.min(innerW / ((maxLon - minLon) * k), innerH / (maxLat - minLat));
  const offsetX = frame.margin + (innerW - (maxLon - minLon) * k * scale) / 2;
  const offsetY = frame.margin + (innerH - (maxLat - minLat) * scale) / 2;
  const project = (p: { latitude: number; longitude: number }) => ({
    x: offsetX + (p.longitude - minLon) * k * scale,
    y: offsetY + (maxLat - p.latitude) * scale,
  });
  const invert = (p: { x: number; y: number }) => ({
    latitude: maxLat - (p.y - offsetY) / scale,
    longitude: minLon + (p.x - offsetX) / (k * scale),
  });
  // What the whole frame covers, for the graticule.
  const bounds = {
    minLon: minLon - (offsetX - 0) / (k * scale),
    maxLon: maxLon + (frame.width - (offsetX + (maxLon - minLon) * k * scale)) / (k * scale),
    maxLat: maxLat + offsetY / scale,
    minLat: minLat - (frame.height - (offsetY + (maxLat - minLat) * scale)) / scale,
  };
  return { project, invert, bounds } satisfies Projection;
}

/** A step of 0.25, 0.5, 1, 2, 5 or 10 degrees giving a handful of lines across the span. */
export function graticuleStep(span: number): number {
  for (const step of [0.25, 0.5, 1, 2, 5, 10]) if (span / step <= 8) return step;
  return 20;
}

/** "23°S", "46°30'O": the hemisphere letters of a pt-BR map (O for oeste). */
export function degreeLabel(value: number, axis: 'lat' | 'lon'): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs + 1e-9);
  const minutes = Math.round((abs - degrees) * 60);
  const hemisphere = axis === 'lat' ? (value < 0 ? 'S' : 'N') : value < 0 ? 'O' : 'L';
  return `${degrees}°${minutes ? `${String(minutes).padStart(2, '0')}'` : ''}${value === 0 ? '' : hemisphere}`;
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
const n = (v: number) => v.toFixed(1);

export function renderMapSvg(input: {
  title: string;
  stores: readonly MapPoint[];
  withoutCoordinates: readonly { code: string; name: string }[];
  frame?: Frame;
}): string {
  const frame = input.frame ?? defaultFrame;
  const { project, bounds } = fitProjection(input.stores, frame);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" role="img" aria-label="${escapeXml(input.title)}" font-family="sans-serif">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<rect x="0" y="0" width="${frame.width}" height="${frame.height}" fill="#f4f8fb"/>`,
  );
  const lonStep = graticuleStep(bounds.maxLon - bounds.minLon);
  const latStep = graticuleStep(bounds.maxLat - bounds.minLat);
  out.push('<g class="graticule" stroke="#c9d6e2" stroke-width="1">');
  const labels: string[] = [];
  for (let lon = Math.ceil(bounds.minLon / lonStep) * lonStep; lon <= bounds.maxLon; lon += lonStep) {
    const { x } = project({ latitude: 0, longitude: lon });
    if (x < 0 || x > frame.width) continue;
    out.push(`<line x1="${n(x)}" y1="0" x2="${n(x)}" y2="${frame.height}"/>`);
    labels.push(
      `<text x="${n(x + 3)}" y="${frame.height - 6}" font-size="11" fill="#6b7c8f">${degreeLabel(lon, 'lon')}</text>`,
    );
  }
  for (let lat = Math.ceil(bounds.minLat / latStep) * latStep; lat <= bounds.maxLat; lat += latStep) {
    const { y } = project({ latitude: lat, longitude: bounds.minLon });
    if (y < 0 || y > frame.height) continue;
    out.push(`<line x1="0" y1="${n(y)}" x2="${frame.width}" y2="${n(y)}"/>`);
    labels.push(
      `<text x="4" y="${n(y - 3)}" font-size="11" fill="#6b7c8f">${degreeLabel(lat, 'lat')}</text>`,
    );
  }
  out.push('</g>', `<g class="degrees">${labels.join('')}</g>`);
  out.push('<g class="stores">');
  for (const store of input.stores) {
    const { x, y } = project(store);
    out.push(
      `<g class="store" data-code="${escapeXml(store.code)}">`,
      `<circle cx="${n(x)}" cy="${n(y)}" r="7" fill="#1f6feb" stroke="#ffffff" stroke-width="2"/>`,
      // Labels of the right half run leftwards, so a name never leaves the frame.
      x > frame.width / 2
        ? `<text x="${n(x - 11)}" y="${n(y + 4)}" text-anchor="end" font-size="13" fill="#0d2238"><tspan font-weight="bold">${escapeXml(store.code)}</tspan> ${escapeXml(store.name)}</text>`
        : `<text x="${n(x + 11)}" y="${n(y + 4)}" font-size="13" fill="#0d2238"><tspan font-weight="bold">${escapeXml(store.code)}</tspan> ${escapeXml(store.name)}</text>`,
      '</g>',
    );
  }
  out.push('</g>');
  if (input.stores.length === 0) {
    out.push(
      `<text x="${frame.width / 2}" y="${frame.height / 2}" text-anchor="middle" font-size="15" fill="#6b7c8f">Nenhuma empresa com coordenadas</text>`,
    );
  }
  if (input.withoutCoordinates.length) {
    const names = input.withoutCoordinates.map((s) => `${s.code} ${s.name}`).join(', ');
    out.push(
      `<text class="note" x="8" y="18" font-size="12" fill="#8a4b00">${escapeXml(`Empresas sem coordenadas: ${names}`)}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
