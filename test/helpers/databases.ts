// Test databases, chosen by ROSTER_TEST_DB: an empty one (freshDatabase), or one already
// migrated (migratedDatabase), copied from a template: running every migration costs most of a
// test server's start on PostgreSQL (over a second a start). The template is the state migrate()
// leaves on an empty database, built once per migrations key (a hash of the migration sources and
// the runner), so a changed migration builds a new one. Tests about migrating an empty or older
// database use freshDatabase() and run the migrations themselves.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

export const DB_KIND = (process.env.ROSTER_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
export const PG_ADMIN_URL = process.env.ROSTER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const STORE_DIR = fileURLToPath(new URL('../../src/store/', import.meta.url));
// Any session building a PostgreSQL template holds this lock: other test processes wait for it.
const TEMPLATE_LOCK_ID = 727275;

function migrationsKey(): string {
  const hash = createHash('sha256');
  const migrations = join(STORE_DIR, 'migrations');
  for (const file of [
    ...readdirSync(migrations)
      .sort()
      .map((f) => join(migrations, f)),
    join(STORE_DIR, 'migrate.ts'),
  ])
    hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

async function migrateAt(url: string): Promise<void> {
  const store = await openStore(url);
  try {
    await migrate(store);
  } finally {
    await store.close();
  }
}

const pgUrl = (name: string) => PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** The template's name; built (under a lock, then renamed into place) when missing. */
async function pgTemplate(): Promise<string> {
  const name = `roster_template_${migrationsKey()}`;
  const exists = async (admin: pg.Client) => (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  return withAdmin(async (admin) => {
    if (await exists(admin)) return name;
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_ID]);
    try {
      if (await exists(admin)) return name;
      // Built under another name and renamed when complete: a build cut short is never copied.
      const building = `roster_template_building_${randomBytes(6).toString('hex')}`;
      await admin.query(`create database ${building}`);
      try {
        await migrateAt(pgUrl(building));
        await admin.query(`alter database ${building} rename to ${name}`);
      } catch (err) {
        await admin.query(`drop database if exists ${building} with (force)`);
        throw err;
      }
      return name;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK_ID]);
    }
  });
}

/** The template file; built under a temporary name and renamed into place (atomic). */
async function sqliteTemplate(): Promise<string> {
  const dir = join(tmpdir(), 'roster-test-templates');
  const file = join(dir, `${migrationsKey()}.db`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const building = mkdtempSync(join(dir, 'building-'));
  try {
    const built = join(building, 'roster.db');
    await migrateAt(`sqlite:${built}`);
    // Closing the last connection checkpoints the WAL into the file and removes it.
    if (existsSync(`${built}-wal`)) throw new Error(`the template ${built} kept a WAL after closing`);
    renameSync(built, file);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return file;
}

/** A new empty database, and a function that removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (DB_KIND === 'postgres') {
    const name = `roster_t_${randomBytes(6).toString('hex')}`;
    await withAdmin((admin) => admin.query(`create database ${name}`));
    return { url: pgUrl(name), drop: () => dropPg(name) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  return { url: `sqlite:${join(dir, 'roster.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const dropPg = (name: string) => withAdmin(async (admin) => void (await admin.query(`drop database if exists ${name} with (force)`)));

let template: Promise<string> | undefined;

/** A new database holding what migrate() makes of an empty one, and a function that removes it. */
export async function migratedDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  template ??= DB_KIND === 'postgres' ? pgTemplate() : sqliteTemplate();
  const source = await template;
  if (DB_KIND === 'postgres') {
    const name = `roster_t_${randomBytes(6).toString('hex')}`;
    await withAdmin((admin) => admin.query(`create database ${name} template ${source}`));
    return { url: pgUrl(name), drop: () => dropPg(name) };
  }
  const dir = mkdtempSync(join(tmpdir(), 'roster-test-'));
  copyFileSync(source, join(dir, 'roster.db'));
  return { url: `sqlite:${join(dir, 'roster.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
