// Smaller holes the outside review found: each pinned on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addToOrg, makeUser, startFixture, type Fixture } from '../posthog/fixture.ts';

describe('trust: small holes', () => {
  let f: Fixture;
  before(async () => {
    f = await startFixture();
  });
  after(() => f.t.close());

  it("another org's service account has no readable token list: 404 as for an unknown one", async () => {
    const t = f.t;
    const sa = await t.request('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'main-bot', role: 'Viewer' } });
    assert.equal(sa.status, 201, sa.text);
    assert.equal((await t.request('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'main-token' } })).status, 200);

    // Adam is Admin of Acme only; the server admin switches to Acme with X-Grafana-Org-Id.
    const foreignAdmin = { ...f.admin.creds, headers: { 'x-grafana-org-id': String(f.acme.id) } };
    const asServerAdminInAcme = { ...t.admin, headers: { 'x-grafana-org-id': String(f.acme.id) } };
    await addToOrg(t, f.acme.id, 'admin', 'Admin');
    for (const creds of [foreignAdmin, asServerAdminInAcme]) {
      const r = await t.request('GET', `/api/serviceaccounts/${sa.body.id}/tokens`, creds);
      assert.deepEqual([r.status, r.body.message, r.body.messageId], [404, 'service account not found', 'serviceaccounts.ErrNotFound']);
      const unknown = await t.request('GET', '/api/serviceaccounts/987654/tokens', creds);
      assert.deepEqual([unknown.status, unknown.body], [r.status, r.body], 'foreign and unknown ids answer alike');
    }
    // Its own org still lists it.
    const own = await t.request('GET', `/api/serviceaccounts/${sa.body.id}/tokens`, t.admin);
    assert.deepEqual([own.status, own.body.map((x: { name: string }) => x.name)], [200, ['main-token']]);
  });

  it('POST /api/organizations/ makes the new org the creator’s current org (@current, Grafana /api/org)', async () => {
    const u = await makeUser(f.t, 'cora');
    const first = await f.t.request('POST', '/api/organizations/', { ...u.creds, body: { name: 'Cora One' } });
    assert.equal(first.status, 201, first.text);
    assert.equal((await f.t.request('GET', '/api/organizations/@current/', u.creds)).body.id, first.body.id);
    const second = await f.t.request('POST', '/api/organizations/', { ...u.creds, body: { name: 'Cora Two' } });
    assert.equal(second.status, 201, second.text);
    assert.equal((await f.t.request('GET', '/api/organizations/@current/', u.creds)).body.id, second.body.id);
    assert.equal((await f.t.request('GET', '/api/org', u.creds)).body.name, 'Cora Two');
    assert.equal((await f.t.request('GET', '/api/users/@me/', u.creds)).body.organization.id, second.body.id);
    // The switch is in the audit trail with the create, in the same transaction.
    const audit = await f.t.request('GET', `/api/roster/v1/audit?action=user.current-org.switch&objectType=user&objectId=${u.id}`, f.t.admin);
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.events.length, 2);
  });

  it('Grafana POST /api/orgs leaves the current org alone', async () => {
    const before = (await f.t.request('GET', '/api/org', f.t.admin)).body.id;
    assert.equal((await f.t.request('POST', '/api/orgs', { ...f.t.admin, body: { name: 'Grafana made' } })).status, 200);
    assert.equal((await f.t.request('GET', '/api/org', f.t.admin)).body.id, before);
  });

  it('a slug collision gets "-" and 4 ASCII letters, never digits', async () => {
    const u = await makeUser(f.t, 'sam');
    const slugs = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await f.t.request('POST', '/api/organizations/', { ...u.creds, body: { name: `Same Slug${'!'.repeat(i)}` } });
      assert.equal(r.status, 201, r.text);
      slugs.add(r.body.slug);
      if (i === 0) assert.equal(r.body.slug, 'same-slug');
      else assert.match(r.body.slug, /^same-slug-[a-z]{4}$/);
    }
    assert.equal(slugs.size, 12);
  });
});
