import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFrame, degreeLabel, fitProjection, renderMapSvg } from './map-svg.ts';

const point = fc.record({
  latitude: fc.double({ min: -34, max: 5, noNaN: true }),
  longitude: fc.double({ min: -74, max: -34, noNaN: true }),
});

describe('the offline map', () => {
  it('projects every point inside the viewBox, within the margin', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 30 }), (points) => {
        const { project } = fitProjection(points, defaultFrame);
        for (const p of points) {
          const { x, y } = project(p);
          expect(x).toBeGreaterThanOrEqual(defaultFrame.margin - 1e-6);
          expect(x).toBeLessThanOrEqual(defaultFrame.width - defaultFrame.margin + 1e-6);
          expect(y).toBeGreaterThanOrEqual(defaultFrame.margin - 1e-6);
          expect(y).toBeLessThanOrEqual(defaultFrame.height - defaultFrame.margin + 1e-6);
        }
      }),
    );
  });

  it('inverts the projection: a click on a point gives back its coordinates (the map picker)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 10 }), point, (points, p) => {
        const { project, invert } = fitProjection(points, defaultFrame);
        const back = invert(project(p));
        expect(back.latitude).toBeCloseTo(p.latitude, 6);
        expect(back.longitude).toBeCloseTo(p.longitude, 6);
      }),
    );
  });

  it('keeps north up and west left', () => {
    const { project } = fitProjection(
      [
        { latitude: -23.56, longitude: -46.65 },
        { latitude: -25.43, longitude: -49.27 },
      ],
      defaultFrame,
    );
    const sp = project({ latitude: -23.56, longitude: -46.65 });
    const cwb = project({ latitude: -25.43, longitude: -49.27 });
    expect(cwb.x).toBeLessThan(sp.x);
    expect(cwb.y).toBeGreaterThan(sp.y);
  });

  it('labels degrees the pt-BR way', () => {
    expect(degreeLabel(-23, 'lat')).toBe('23°S');
    expect(degreeLabel(-46.5, 'lon')).toBe("46°30'O");
    expect(degreeLabel(2, 'lat')).toBe('2°N');
  });

  it('draws each store with its code and name, escapes text, and notes stores without coordinates', () => {
    const svg = renderMapSvg({
      title: 'SEDEX — Envio <Correios>',
      stores: [
        { code: '11', name: 'Loja 11 — São Paulo', latitude: -23.56, longitude: -46.65 },
        { code: '3', name: 'Loja 3 & Cia', latitude: -25.43, longitude: -49.27 },
      ],
      withoutCoordinates: [{ code: '9', name: 'Loja 9' }],
    });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 800 560"/);
    expect(svg).toContain('Loja 11 — São Paulo');
    expect(svg).toContain('Loja 3 &amp; Cia');
    expect(svg).toContain('Envio &lt;Correios&gt;');
    expect(svg).toContain('Empresas sem coordenadas: 9 Loja 9');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toMatch(/\d+°S/);
    expect(svg).toMatch(/\d+°(\d+')?O/);
  });

  it('draws an empty map with a sentence when no store has coordinates', () => {
    const svg = renderMapSvg({ title: 'X', stores: [], withoutCoordinates: [] });
    expect(svg).toContain('Nenhuma empresa com coordenadas');
    expect(svg).not.toContain('<circle');
  });
});
