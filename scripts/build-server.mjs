// Builds the server for `npm start`: src/main.ts and the pure-JavaScript packages it uses,
// bundled by esbuild into a few ES modules in dist/server (the HTTP server in its own chunk,
// loaded by `roster serve` only). One file to read instead of some 700 modules to find, read and
// link cut the CPU time to the first answer by about a third (bench/cold-start.mjs,
// BENCHMARKS.md). It is plain JavaScript, so no TypeScript loader runs in production either.
// `npm run typecheck` checks the types; this only strips them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

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

rmSync('dist/server', { recursive: true, force: true });
await build({
  // The webhook sender runs on its own thread, from its own entry (src/events/run-sender.ts).
  entryPoints: { main: 'src/main.ts', 'webhook-sender': 'src/events/sender-thread.ts' },
  outdir: 'dist/server',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // The bundled CommonJS packages call require() for Node's modules and the external packages.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
