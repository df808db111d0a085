// dist/server/main.js (copied there by scripts/build-server.mjs): runs the bundled server,
// dist/server/roster.cjs, through V8's code cache.
//
// Compiling the bundle's 4 MB of JavaScript, and then each function start-up calls, was a third
// of the CPU time to the first answer (bench/cold-start.mjs). V8 can save what it compiled and
// take it back at the next start; Node 20 offers that only to scripts compiled through node:vm
// (Node 22's module.enableCompileCache does the same for every module), so the bundle is
// CommonJS and is compiled here. The cache, roster.cjs.cache beside it, is written by the build
// (which starts the server once) and again by any process whose V8 refuses it (another Node or
// V8 version, a damaged file): V8 checks the source, its own version and flags, and compiles
// from the source when the cache does not match, so a stale cache costs time, never behaviour.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const file = fileURLToPath(new URL('./roster.cjs', import.meta.url));
const cacheFile = `${file}.cache`;

let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// CommonJS's module wrapper. The bundle loads the packages left outside it with require(): an
// import() in a script compiled here would need node:vm's experimental module loading.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {
  filename: file,
  cachedData,
});
if (!cachedData || script.cachedDataRejected) {
  // At exit the cache also holds the functions compiled while the process ran (its start-up
  // first of all). Written aside and renamed, so a concurrent start never reads half a file.
  process.once('exit', () => {
    const aside = `${cacheFile}.${process.pid}`;
    try {
      writeFileSync(aside, script.createCachedData());
      renameSync(aside, cacheFile);
    } catch {
      // A read-only install keeps starting without the cache.
    }
  });
}
const module = { exports: {}, id: file, filename: file, loaded: false };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
