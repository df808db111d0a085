// docs/sso.md#roles-and-orgs: org mapping (group:org:role, * wildcards) merged with the role
// expression, re-applied at every sign-in; the GrafanaAdmin gate; strict roles; sign-up off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { signInOverHttp, startProvider, type TestProvider } from '../helpers/oidc.ts';

const PUBLIC = 'http://roster.test';

async function userOf(t: TestRoster, cookie: string) {
  return (await t.request('GET', '/api/user', { cookie })).body as { id: number; isGrafanaAdmin: boolean };
}
async function orgsOf(t: TestRoster, userId: number) {
  const r = await t.request('GET', `/api/users/${userId}/orgs`, t.admin);
  return (r.body as { name: string; role: string }[]).map((o) => `${o.name}:${o.role}`).sort();
}

describe('single sign-on: roles and orgs', () => {
  let op: TestProvider;
  const rosters: TestRoster[] = [];
  const roster = async (env: Record<string, string>) => {
    const t = await startRoster(op.env({ ROSTER_PUBLIC_URL: PUBLIC, ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups', ...env }));
    rosters.push(t);
    return t;
  };
  before(async () => {
    op = await startProvider(`${PUBLIC}/login/generic_oauth`);
  });
  after(async () => {
    for (const t of rosters) await t.close();
    await op.close();
  });

  it('org mapping puts the user in the mapped orgs with the higher role, and follows group changes at each sign-in', async () => {
    const t = await roster({ ROSTER_OIDC_ORG_MAPPING: '["ops:Ops:Editor", "sales:Sales:Viewer", "leads:Sales:Admin", "*:1:Viewer"]' });
    for (const name of ['Ops', 'Sales']) assert.equal((await t.request('POST', '/api/orgs', { ...t.admin, body: { name } })).status, 200);
    op.accounts.set('sub-org', { email: 'org@example.com', preferred_username: 'orguser', groups: ['ops'] });
    const first = await signInOverHttp(t, op, 'sub-org');
    const id = (await userOf(t, first.cookie!)).id;
    assert.deepEqual(await orgsOf(t, id), ['Main Org.:Viewer', 'Ops:Editor']);
    op.accounts.set('sub-org', { email: 'org@example.com', preferred_username: 'orguser', groups: ['sales', 'leads'] });
    await signInOverHttp(t, op, 'sub-org');
    assert.deepEqual(await orgsOf(t, id), ['Main Org.:Viewer', 'Sales:Admin']);
    // The trail says the sign-in made these changes, as the user, through the sso face.
    const trail = await t.request('GET', '/api/roster/v1/audit?action=member.remove', t.admin);
    assert.ok(trail.body.events.some((e: { face: string; actor: { userId: number } }) => e.face === 'sso' && e.actor.userId === id));
  });

  it('the role expression sets the role in the auto-assign org when no mapping is configured', async () => {
    const t = await roster({ ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: 'role' });
    op.accounts.set('sub-role', { email: 'role@example.com', preferred_username: 'roleuser', role: 'Editor' });
    const { cookie } = await signInOverHttp(t, op, 'sub-role');
    assert.deepEqual(await orgsOf(t, (await userOf(t, cookie!)).id), ['Main Org.:Editor']);
  });

  it('GrafanaAdmin makes a server admin only when ROSTER_OIDC_ALLOW_ASSIGN_GRAFANA_ADMIN is on', async () => {
    const off = await roster({ ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'root') && 'GrafanaAdmin' || 'Viewer'" });
    const on = await roster({ ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'root') && 'GrafanaAdmin' || 'Viewer'", ROSTER_OIDC_ALLOW_ASSIGN_GRAFANA_ADMIN: 'true' });
    op.accounts.set('sub-root', { email: 'root@example.com', preferred_username: 'rootuser', groups: ['root'] });

    const a = await signInOverHttp(off, op, 'sub-root');
    const ua = await userOf(off, a.cookie!);
    assert.equal(ua.isGrafanaAdmin, false);
    assert.deepEqual(await orgsOf(off, ua.id), ['Main Org.:Admin']);

    const b = await signInOverHttp(on, op, 'sub-root');
    const ub = await userOf(on, b.cookie!);
    assert.equal(ub.isGrafanaAdmin, true);
    assert.deepEqual(await orgsOf(on, ub.id), ['Main Org.:Admin']);
    // Losing the group takes the flag (and the role) away at the next sign-in.
    op.accounts.set('sub-root', { email: 'root@example.com', preferred_username: 'rootuser', groups: [] });
    const c = await signInOverHttp(on, op, 'sub-root');
    assert.equal((await userOf(on, c.cookie!)).isGrafanaAdmin, false);
    assert.deepEqual(await orgsOf(on, ub.id), ['Main Org.:Viewer']);
  });

  it('strict: no role, or a value that is not a role, refuses the sign-in and creates nobody', async () => {
    const t = await roster({ ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: 'role', ROSTER_OIDC_ROLE_ATTRIBUTE_STRICT: 'true' });
    op.accounts.set('sub-norole', { email: 'norole@example.com', preferred_username: 'norole' });
    const none = await signInOverHttp(t, op, 'sub-norole');
    assert.equal(none.session, undefined);
    assert.match(none.res.body.message, /no role/);
    op.accounts.set('sub-badrole', { email: 'badrole@example.com', preferred_username: 'badrole', role: 'Boss' });
    const bad = await signInOverHttp(t, op, 'sub-badrole');
    assert.equal(bad.session, undefined);
    assert.match(bad.res.body.message, /"Boss", which is not Admin, Editor, Viewer, None or GrafanaAdmin/);
    for (const login of ['norole', 'badrole']) assert.equal((await t.request('GET', `/api/users/lookup?loginOrEmail=${login}`, t.admin)).status, 404);
    op.accounts.set('sub-goodrole', { email: 'goodrole@example.com', preferred_username: 'goodrole', role: 'Viewer' });
    assert.ok((await signInOverHttp(t, op, 'sub-goodrole')).session);
  });

  it('with sign-up off, an unknown identity is refused; nothing is created', async () => {
    const t = await roster({ ROSTER_OIDC_ALLOW_SIGN_UP: 'false' });
    op.accounts.set('sub-new', { email: 'new@example.com', preferred_username: 'newuser' });
    const { res, session } = await signInOverHttp(t, op, 'sub-new');
    assert.equal(session, undefined);
    assert.match(res.body.message, /sign-up through it is disabled/);
    assert.equal((await t.request('GET', '/api/users/lookup?loginOrEmail=newuser', t.admin)).status, 404);
  });
});
