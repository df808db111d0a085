// Builds the server for `npm start`: src/main.ts and the pure-JavaScript packages it uses,
// bundled by esbuild into one CommonJS file, dist/server/roster.cjs, which dist/server/main.js
// (scripts/server-main.mjs) runs through V8's code cache. One file to read instead of some 700
// modules to find, read and link, and then no compiling of what start-up runs: together about
// half the CPU time to the first answer (bench/cold-start.mjs, BENCHMARKS.md). It is plain
// JavaScript, so no TypeScript loader runs in production either. `npm run typecheck` checks the
// types; this only strips them.
import { build } from 'esbuild';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Left as packages in node_modules, loaded at run time:
 * - better-sqlite3: a native addon;
 * - @fastify/static, @fastify/swagger, @fastify/swagger-ui: they serve files from their own
 *   package folder, found from their module's path;
 * - ioredis, nodemailer: loaded only when Redis or SMTP is configured (createRequire);
 * - tsx: the CLI's TypeScript loader, not used by the built server.
 */
const EXTERNAL = ['better-sqlite3', '@fastify/static', '@fastify/swagger', '@fastify/swagger-ui', 'ioredis', 'nodemailer', 'tsx'];

const dependencies = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).dependencies);
for (const name of EXTERNAL) if (!dependencies.includes(name)) throw new Error(`${name} is listed as external but is not a dependency`);

/** The V8 flags `npm start` runs the server with (package.json). */
const START_FLAGS = JSON.parse(readFileSync('package.json', 'utf8'))
  .scripts.start.split(/\s+/)
  .filter((word) => word.startsWith('--'));

rmSync('dist/server', { recursive: true, force: true });
await build({
  // The webhook sender runs on its own thread, from its own entry (src/events/run-sender.ts).
  entryPoints: { roster: 'src/main.ts', 'webhook-sender': 'src/events/sender-thread.ts' },
  outdir: 'dist/server',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // The sources are ES modules: import.meta.url is the bundle's own URL, and import.meta.resolve
  // resolves as require() does from it.
  define: { 'import.meta.url': '__bundleUrl', 'import.meta.resolve': '__bundleResolve' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href, __bundleResolve = (s) => require('node:url').pathToFileURL(require.resolve(s)).href;" },
  logLevel: 'warning',
});
copyFileSync('scripts/server-main.mjs', 'dist/server/main.js');
await writeCodeCache();

/**
 * Starts the built server once (an in-memory database, a free port), asks for /api/health and
 * stops it: at exit it writes the code cache of what start-up and a first request compiled.
 */
async function writeCodeCache() {
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  // Only these settings: none of the builder's own (Redis, SMTP, ...) reaches the warm-up.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ROSTER_')));
  Object.assign(env, { ROSTER_DATABASE_URL: 'sqlite::memory:', ROSTER_HOST: '127.0.0.1', ROSTER_PORT: String(port), ROSTER_ADMIN_PASSWORD: 'code-cache-warm-up', ROSTER_LOG_LEVEL: 'error' });
  // V8 takes a cache only from a process run with the same flags: those of `npm start`.
  const server = spawn(process.execPath, [...START_FLAGS, 'dist/server/main.js', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve());
    exited.then(() => reject(new Error('the built server exited before it listened')));
  });
  await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.arrayBuffer());
  server.kill('SIGTERM');
  if ((await exited) !== 0) throw new Error('the built server did not stop cleanly');
}
