// Crash safety: Roster runs as a child process under a concurrent write load, is killed with
// SIGKILL mid-run, and restarted on the same database; every write that got a 2xx is there and
// the store's invariants hold. Two crash cycles per run.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freshDatabase, ADMIN_PASSWORD } from '../helpers/roster.ts';
import { checkInvariants } from '../helpers/invariants.ts';
import { openStore } from '../../src/store/db.ts';
import { BUILT } from '../scaleout/spawn.ts';

const PORT = 4700 + (process.pid % 90);
const BASE = `http://127.0.0.1:${PORT}`;
const AUTH = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');
const ROLES = ['Viewer', 'Editor', 'Admin'] as const;

async function startServer(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...BUILT, 'serve', '--host', '127.0.0.1', '--port', String(PORT), '--database-url', url], {
    env: { ...process.env, ROSTER_ADMIN_PASSWORD: ADMIN_PASSWORD, ROSTER_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Roster listening')) resolve();
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
  await ready;
  // Warms the credential memo, so the load's requests skip the password KDF.
  await call('GET', '/api/orgs');
  return child;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(BASE + path, { method, headers: { authorization: AUTH, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** What the server acknowledged, and what was in flight (may or may not have landed). */
interface Ledger {
  users: Map<string, number>;
  members: Map<string, string>; // "org:user" -> role last acknowledged
  pendingRole: Map<string, string>; // "org:user" -> role whose request got no answer
  acked: number;
}

async function worker(w: number, orgs: number[], stopAt: number, ledger: Ledger, seq: { n: number }) {
  while (Date.now() < stopAt) {
    const login = `crash-${w}-${seq.n++}-${Math.random().toString(36).slice(2, 6)}`;
    let r;
    try {
      r = await call('POST', '/api/admin/users', { login, email: `${login}@example.com`, password: 'password1' });
    } catch {
      return;
    } // the server is gone
    if (r.status !== 200) throw new Error(`create user -> ${r.status}`);
    const userId = r.body.id as number;
    ledger.users.set(login, userId);
    ledger.acked++;
    // Memberships and role changes are cheap (no password hashing): most of the load.
    for (const org of orgs) {
      const key = `${org}:${userId}`;
      try {
        r = await call('POST', `/api/orgs/${org}/users`, { loginOrEmail: login, role: 'Viewer' });
      } catch {
        ledger.pendingRole.set(key, 'Viewer');
        return;
      }
      if (r.status !== 200) throw new Error(`add member -> ${r.status}`);
      ledger.members.set(key, 'Viewer');
      ledger.acked++;
      for (let i = 0; i < 4; i++) {
        const role = ROLES[(seq.n + i) % 3]!;
        try {
          r = await call('PATCH', `/api/orgs/${org}/users/${userId}`, { role });
        } catch {
          ledger.pendingRole.set(key, role);
          return;
        }
        if (r.status !== 200) throw new Error(`change role -> ${r.status}`);
        ledger.members.set(key, role);
        ledger.acked++;
      }
    }
  }
}

describe('crash safety under SIGKILL', () => {
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGKILL');
  });

  it('keeps every acknowledged write across two SIGKILLs, and the invariants hold', async (ctx) => {
    const database = await freshDatabase();
    const ledger: Ledger = { users: new Map(), members: new Map(), pendingRole: new Map(), acked: 0 };
    try {
      child = await startServer(database.url);
      const orgs: number[] = [];
      for (const name of ['crash-a', 'crash-b']) {
        const r = await call('POST', '/api/orgs', { name });
        assert.equal(r.status, 200);
        orgs.push(r.body.orgId);
      }
      for (let cycle = 0; cycle < 2; cycle++) {
        const seq = { n: cycle * 100_000 };
        const stopAt = Date.now() + 15_000;
        const load = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w, orgs, stopAt, ledger, seq)));
        // Killed once this cycle has a few acknowledged writes (or after 8 s on a slow machine).
        const target = ledger.acked + 12 + Math.floor(Math.random() * 10);
        const giveUp = Date.now() + 8_000;
        while (ledger.acked < target && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
        await load;
        child = await startServer(database.url);
      }
      // Checked straight in the database, next to the restarted server.
      const store = await openStore(database.url);
      try {
        const users = await store.db.selectFrom('users').select(['id', 'login']).execute();
        const byLogin = new Map(users.map((u) => [u.login, u.id]));
        for (const [login, id] of ledger.users) assert.equal(byLogin.get(login), id, `user ${login} survived`);
        const rows = await store.db.selectFrom('org_members').select(['org_id', 'user_id', 'role']).execute();
        const roles = new Map(rows.map((m) => [`${m.org_id}:${m.user_id}`, m.role]));
        for (const [key, role] of ledger.members) {
          const ok = [role, ledger.pendingRole.get(key)];
          assert.ok(ok.includes(roles.get(key)), `member ${key}: ${roles.get(key)}, acknowledged ${role}`);
        }
        await checkInvariants(store.db);
      } finally {
        await store.close();
      }
      assert.equal((await call('GET', `/api/orgs/${orgs[0]}/users`)).status, 200, 'the restarted server answers');
      assert.ok(ledger.acked >= 20, `${ledger.acked} acknowledged writes`);
      ctx.diagnostic(`2 crashes, ${ledger.acked} acknowledged writes checked (${ledger.users.size} users, ${ledger.members.size} memberships)`);
    } finally {
      child?.kill('SIGKILL');
      if (child && child.exitCode === null) await once(child, 'exit');
      child = undefined;
      await database.drop();
    }
  });
});
