// A database of its own for one bench run, and how to drop it afterwards: a new PostgreSQL
// database on `pgUrl`'s server (a copy of `template` when given), or a SQLite file in a temp dir
// (a copy of the `template` file when given).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

async function onServer(pgUrl, statement) {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/** `{ url, drop }` for `db` 'sqlite' or 'postgres'. */
export async function freshDatabase({ db, pgUrl, template, prefix = 'roster-bench-' }) {
  if (db === 'postgres') {
    const name = `roster_bench_${randomBytes(4).toString('hex')}`;
    await onServer(pgUrl, `create database ${name}${template ? ` template ${template}` : ''}`);
    return { url: pgUrl.replace(/\/[^/]*$/, `/${name}`), drop: () => onServer(pgUrl, `drop database if exists ${name} with (force)`) };
  }
  if (db !== 'sqlite') throw new Error('--db is sqlite or postgres');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (template) copyFileSync(template, join(dir, 'roster.db'));
  return { url: `sqlite:${join(dir, 'roster.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
