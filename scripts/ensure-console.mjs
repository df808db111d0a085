// `npm start` on a fresh clone: build the console once if its assets are missing.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

if (!existsSync('dist/console/index.html')) {
  console.log('Building the console (dist/console)...');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'console'], { stdio: 'inherit' });
}
