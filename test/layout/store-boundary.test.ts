// The store is the bottom layer: it holds the queries and imports nothing from the layers above
// it (domain, faces, http, mail, cli, app), so a query can be read and changed without them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const storeDir = join(src, 'store');
const ABOVE = ['domain', 'api', 'http', 'mail', 'cli', 'app'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function specifiers(text: string): string[] {
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1]);
}

describe('store boundary', () => {
  it('finds the store modules it checks', () => {
    assert.ok(tsFiles(storeDir).length > 10);
  });

  it('no store module imports from the layers above it', () => {
    const offenders: string[] = [];
    for (const file of tsFiles(storeDir)) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(src, resolve(dirname(file), spec)).split('/')[0];
        if (ABOVE.includes(target)) offenders.push(`${relative(src, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});
