import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inRepo } from '../paths.ts';

/** Where `vite build` puts the back office (web/vite.config.ts). */
export const webDist = inRepo('web/dist');

export const webAppBuilt = (dist = webDist) => fs.existsSync(path.join(dist, 'index.html'));

/**
 * Serves the built back office from the same origin as the API: hashed assets cached for a year,
 * index.html never cached, so a new build is picked up at the next load.
 */
export async function registerWebApp(app: FastifyInstance, dist = webDist) {
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    index: false,
    wildcard: false,
    setHeaders(res, file) {
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}

/**
 * A page of the app the browser asks for by its own address (/orders/…, a bookmark, a reload): the
 * app's index.html, whose router shows the page. API paths and non-HTML requests keep their 404 problem.
 */
export function isAppPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url.split('?')[0] ?? '';
  if (url.startsWith('/api/') || url.startsWith('/docs') || /\.[a-z0-9]+$/i.test(url)) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export function sendAppPage(reply: FastifyReply) {
  return reply.header('cache-control', 'no-cache').sendFile('index.html');
}
