// Migration 0006 on a database from before it: addresses count as verified except one its user
// typed in themselves (the audit trail says who last changed it), and pending invites, which had
// no code, are expired so they must be sent again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshDatabase } from '../helpers/roster.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';

describe('migration 0006-mail on an existing database', () => {
  let db: { url: string; drop(): Promise<void> };
  let store: Store;
  before(async () => {
    db = await freshDatabase();
    store = await openStore(db.url);
  });
  after(async () => {
    await store.close();
    await db.drop();
  });

  it('marks self-typed addresses unverified, keeps the others verified, expires code-less invites', async () => {
    const k = store.db as any;
    // The schema as it was before 0006.
    await sql`create table schema_migrations (name text primary key, applied_at text not null)`.execute(k);
    const before0006 = MIGRATIONS.slice(
      0,
      MIGRATIONS.findIndex((m) => m.name === '0006-mail'),
    );
    for (const m of before0006) {
      await m.up(k, { dialect: store.dialect });
      await k.insertInto('schema_migrations').values({ name: m.name, applied_at: new Date().toISOString() }).execute();
    }
    const ts = new Date().toISOString();
    await k.insertInto('orgs').values({ public_id: 'OA', uuid: '00000000-0000-4000-8000-0000000000a1', name: 'Corp', slug: 'corp', created_at: ts, updated_at: ts }).execute();
    const org = (await k.selectFrom('orgs').select('id').executeTakeFirstOrThrow()).id;
    const user = async (login: string, email: string) => {
      await k
        .insertInto('users')
        .values({ uid: login, public_id: `U${login}`, uuid: `00000000-0000-4000-8000-${login.padStart(12, '0')}`, login, email, created_at: ts, updated_at: ts, last_seen_at: ts })
        .execute();
      return (await k.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id as number;
    };
    const typedIn = await user('111', 'cfo@corp.example');
    const adminSet = await user('222', 'new@corp.example');
    const untouched = await user('333', 'plain@corp.example');
    const changedBack = await user('444', 'back@corp.example');
    const change = (actor: number | null, target: number, from: string, to: string) =>
      k
        .insertInto('audit_events')
        .values({
          at: ts,
          actor_kind: actor === null ? 'system' : 'user',
          actor_user_id: actor,
          actor_login: 'x',
          face: 'grafana',
          action: 'user.update',
          object_type: 'user',
          object_id: String(target),
          before: JSON.stringify({ email: from }),
          after: JSON.stringify({ email: to }),
        })
        .execute();
    await change(typedIn, typedIn, 'victor@corp.example', 'cfo@corp.example');
    await change(adminSet, adminSet, 'a@corp.example', 'b@corp.example');
    await change(null, adminSet, 'b@corp.example', 'new@corp.example');
    // Typed in, then set by an admin to something else and later back by the user.
    await change(null, changedBack, 'x@corp.example', 'y@corp.example');
    await change(changedBack, changedBack, 'y@corp.example', 'back@corp.example');
    const later = new Date(Date.now() + 86400_000).toISOString();
    await k
      .insertInto('invites')
      .values({ id: '00000000-0000-4000-8000-00000000f001', org_id: org, email: 'cfo@corp.example', role: 'Admin', is_owner: 1, created_at: ts, updated_at: ts, expires_at: later })
      .execute();

    assert.equal((await migrate(store))[0], '0006-mail');

    const flags = Object.fromEntries((await k.selectFrom('users').select(['id', 'email_verified']).execute()).map((r: { id: number; email_verified: number }) => [r.id, r.email_verified]));
    assert.deepEqual(flags, { [typedIn]: 0, [adminSet]: 1, [untouched]: 1, [changedBack]: 0 });
    const inv = await k.selectFrom('invites').selectAll().executeTakeFirstOrThrow();
    assert.ok(Date.parse(inv.expires_at) <= Date.now(), 'the code-less invite is expired');
    assert.equal(inv.code_hash, null);
  });
});
