// Writes the OpenAPI document Roster serves at /api/openapi.json to a file, for `redocly lint`
// (npm run lint) and for client generators: `node scripts/openapi.mjs [file]`, by default
// dist/openapi.json. The app is built on an in-memory SQLite database and never listens; only
// ROSTER_PUBLIC_URL is read from the environment (it becomes the document's `servers`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = fileURLToPath(new URL('../', import.meta.url));
const { loadConfig } = await import('../src/config.ts');
const { createRoster } = await import('../src/server.ts');

const out = resolve(process.argv[2] ?? `${root}dist/openapi.json`);
const config = loadConfig({ databaseUrl: 'sqlite::memory:', adminPassword: randomBytes(16).toString('hex'), logLevel: 'error', rateLimit: '0', publicUrl: process.env.ROSTER_PUBLIC_URL }, {});
const roster = await createRoster(config);
try {
  await roster.app.ready();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(await roster.openApiDocument(), null, 2) + '\n');
  console.log(`OpenAPI document written to ${out}`);
} finally {
  await roster.close();
}
