// Serves the admin console: the single-page app built by `npm run build` into dist/console.
// Hashed assets are cached for good; every other GET outside /api/ gets index.html, so the
// app's own routes (/orgs/3, /users, /login after /logout) load on a reload or a deep link.
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { onFirstUse } from './on-first-use.ts';

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

  // The files are served by @fastify/static, loaded when the console is first asked for
  // (http/on-first-use.ts): the assets under /assets/, the files beside index.html, and
  // index.html itself for every page path.
  const files = onFirstUse(async () => {
    // require(), not import(): the built server is a CommonJS bundle run through node:vm (scripts/server-main.mjs).
    const fastifyStatic = (createRequire(import.meta.url)('@fastify/static') as typeof import('@fastify/static')).default;
    const server = Fastify();
    await server.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: false,
      // Our own cache headers below, not send's default max-age=0.
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    return server;
  });
  if (built) {
    // Not API operations: left out of the OpenAPI document.
    app.get('/assets/*', { schema: { hide: true } }, (req, reply) => files(req, reply));
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name !== 'index.html') app.get(`/${entry.name}`, { schema: { hide: true } }, (req, reply) => files(req, reply));
    }
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api/') && !path.startsWith('/assets/');
    // Fastify's own 404 body, unchanged for API clients.
    if (!wantsPage) return reply.code(404).send({ message: `Route ${req.method}:${req.url} not found`, error: 'Not Found', statusCode: 404 });
    if (!built) return reply.code(503).header('content-security-policy', CSP).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(NOT_BUILT);
    return files(req, reply, { url: '/index.html', headers: { 'content-security-policy': CSP, 'cache-control': 'no-cache' } });
  });
}
