// `npm start` on a fresh clone or after a change: builds the console when its assets are missing
// and builds the server (scripts/build-server.mjs) when dist/server is missing or older than any
// file under src/, the build scripts or package-lock.json (the bundled packages' versions).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const newest = (dir) => Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));

if (!existsSync('dist/console/index.html')) {
  console.log('Building the console (dist/console)...');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'console'], { stdio: 'inherit' });
}
const main = 'dist/server/main.js';
if (
  !existsSync(main) ||
  statSync(main).mtimeMs < Math.max(newest('src'), statSync('scripts/build-server.mjs').mtimeMs, statSync('scripts/server-main.mjs').mtimeMs, statSync('package-lock.json').mtimeMs)
) {
  console.log('Building the server (dist/server)...');
  execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
}
