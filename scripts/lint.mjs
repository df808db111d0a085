// npm run lint: every check runs, even after one fails, so one run reports all that needs fixing.
//   eslint        typescript-eslint's rules (eslint.config.js)
//   prettier      formatting (.prettierrc.json); `npx prettier --write .` fixes it
//   madge         no import cycle in src/, type-only imports included
//   redocly       the OpenAPI document Roster serves, written by scripts/openapi.mjs (redocly.yaml)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;
const CHECKS = [
  ['eslint', [bin('eslint'), '.']],
  ['prettier', [bin('prettier'), '--check', '--log-level', 'warn', '.']],
  ['madge', [bin('madge'), '--circular', '--no-spinner', '--extensions', 'ts', 'src']],
  ['openapi document', [process.execPath, `${root}scripts/openapi.mjs`]],
  ['redocly', [bin('redocly'), 'lint', '--format', 'stylish', 'dist/openapi.json']],
];

const failed = [];
for (const [name, [command, ...args]] of CHECKS) {
  console.log(`\n> ${name}`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
  if (run.status !== 0) failed.push(name);
  // The document is what redocly lints: without it there is nothing to check.
  if (name === 'openapi document' && run.status !== 0) break;
}
console.log(failed.length ? `\nlint failed: ${failed.join(', ')}` : '\nlint passed');
process.exit(failed.length ? 1 : 0);
