// Serves the admin console: the single-page app built by `npm run build` into dist/console.
// Hashed assets are cached for good; every other GET outside /api/ gets index.html, so the
// app's own routes (/orgs/3, /users, /login after /logout) load on a reload or a deep link.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The project's root (where package.json is), from src/ under tsx as from the compiled dist/server/. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const CONSOLE_DIR = join(projectRoot(), 'dist', 'console');

// The app loads only its own scripts and styles, and talks only to this server.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Roster</title>
<p>The console is not built. Run <code>npm run build</code> and restart the server. The APIs under /api/ work without it.</p>`;

export async function consoleRoutes(app: FastifyInstance, opts: { dir?: string } = {}) {
  const dir = opts.dir ?? CONSOLE_DIR;
  const built = existsSync(`${dir}/index.html`);

  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: false,
      wildcard: false,
      // Our own cache headers below, not send's default max-age=0.
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && !path.startsWith('/assets/');
    // Fastify's own 404 body, unchanged for API clients.
    if (!wantsPage) return reply.code(404).send({ message: `Route ${req.method}:${req.url} not found`, error: 'Not Found', statusCode: 404 });
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache');
    if (!built) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
