// Walks the policy's role table (src/domain/policy/grants.ts) through the faces: for each role and
// each permission a face checks, the role's holders are let through and everyone else gets that
// face's 403. Then PostHog's levels, a member leaving, and personal keys whose scopes narrow an
// Admin owner.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, ROLE_PERMISSIONS, permissionsIn, type OrgAction, type Role } from '../../src/domain/policy/index.ts';
import type { Principal } from '../../src/domain/principal.ts';
import type { Creds, Reply } from '../helpers/roster.ts';
import { makeToken, makeUser as makeOrgUser } from '../oncall/fixtures.ts';
import { denied, FORBIDDEN, makeKey, startFixture, type Fixture } from '../posthog/fixture.ts';

const GENERIC = 'You do not have permission to perform this action.';

interface Check {
  permission: OrgAction;
  call: (c: Creds) => Promise<Reply>;
}

describe('the permission table, face by face', () => {
  let f: Fixture;
  const users = {} as Record<Role, { id: number; creds: Creds }>;
  const tokens = {} as Record<Role, Creds>;
  let teamId: number;
  let saId: number;
  let outsiderId: number;
  let otherOrg: number;
  let orgPublicId: string;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  before(async () => {
    f = await startFixture();
    for (const role of ROLES) {
      const u = await makeOrgUser(f.t, `role-${role.toLowerCase()}`, role);
      users[role] = { id: u.id, creds: { basic: u.basic } };
      tokens[role] = { raw: await makeToken(f.t, 1, role) };
    }
    const team = await f.t.request('POST', '/api/teams', { ...f.t.admin, body: { name: 'Table team' } });
    assert.equal(team.status, 200, team.text);
    teamId = team.body.teamId;
    const sa = await f.t.request('POST', '/api/serviceaccounts', { ...f.t.admin, body: { name: 'table-sa', role: 'Viewer' } });
    assert.equal(sa.status, 201, sa.text);
    saId = sa.body.id;
    const org = await f.t.request('POST', '/api/orgs', { ...f.t.admin, body: { name: 'Elsewhere' } });
    otherOrg = org.body.orgId;
    const outsider = await f.t.request('POST', '/api/admin/users', { ...f.t.admin, body: { login: 'elsewhere', password: 'password1', orgId: otherOrg } });
    outsiderId = outsider.body.id;
    orgPublicId = (await f.t.request('GET', '/api/v1/organizations/', tokens.Admin)).body.results[0].id;
  });
  after(() => f.t.close());

  const req = (method: string, url: string, body?: unknown) => (c: Creds) => f.t.request(method, url, { ...c, body });

  /** Grafana routes, one per permission; the team and service-account ones act on fixtures made above (or on fresh ones when they delete). */
  const grafana = (): Check[] => [
    { permission: 'orgs:read', call: req('GET', '/api/org') },
    { permission: 'orgs:write', call: req('PUT', '/api/org/address', { address1: '1 Policy Street' }) },
    { permission: 'orgs.quotas:read', call: req('GET', '/api/org/quotas') },
    // Held by no role: only server admins set quotas, so an org Admin is refused too.
    { permission: 'orgs.quotas:write', call: req('PUT', '/api/orgs/1/quotas/team', { limit: -1 }) },
    { permission: 'orgs.preferences:read', call: req('GET', '/api/org/preferences') },
    { permission: 'orgs.preferences:write', call: req('PATCH', '/api/org/preferences', {}) },
    { permission: 'org.users:read', call: req('GET', '/api/org/users') },
    // An existing member: 409 for whoever may add, the permission error for the rest.
    { permission: 'org.users:add', call: req('POST', '/api/org/users', { loginOrEmail: 'role-viewer', role: 'Viewer' }) },
    { permission: 'org.users:write', call: (c) => f.t.request('PATCH', `/api/org/users/${users.Viewer.id}`, { ...c, body: { role: 'Viewer' } }) },
    // Someone not in the org: removing succeeds silently (Grafana), so nothing changes.
    { permission: 'org.users:remove', call: (c) => f.t.request('DELETE', `/api/org/users/${outsiderId}`, c) },
    { permission: 'teams:read', call: (c) => f.t.request('GET', `/api/teams/${teamId}`, c) },
    { permission: 'teams:create', call: (c) => f.t.request('POST', '/api/teams', { ...c, body: { name: unique('created') } }) },
    { permission: 'teams:write', call: (c) => f.t.request('PUT', `/api/teams/${teamId}`, { ...c, body: { name: 'Table team' } }) },
    {
      permission: 'teams:delete',
      call: async (c) => {
        const fresh = await f.t.request('POST', '/api/teams', { ...f.t.admin, body: { name: unique('doomed') } });
        return f.t.request('DELETE', `/api/teams/${fresh.body.teamId}`, c);
      },
    },
    { permission: 'teams.permissions:read', call: (c) => f.t.request('GET', `/api/teams/${teamId}/members`, c) },
    { permission: 'teams.permissions:write', call: (c) => f.t.request('POST', `/api/teams/${teamId}/members`, { ...c, body: { userId: users.Viewer.id } }) },
    { permission: 'serviceaccounts:read', call: req('GET', '/api/serviceaccounts/search') },
    { permission: 'serviceaccounts:create', call: (c) => f.t.request('POST', '/api/serviceaccounts', { ...c, body: { name: unique('sa'), role: 'None' } }) },
    { permission: 'serviceaccounts:write', call: (c) => f.t.request('PATCH', `/api/serviceaccounts/${saId}`, { ...c, body: { name: 'table-sa' } }) },
    {
      permission: 'serviceaccounts:delete',
      call: async (c) => {
        const fresh = await f.t.request('POST', '/api/serviceaccounts', { ...f.t.admin, body: { name: unique('doomed-sa'), role: 'None' } });
        return f.t.request('DELETE', `/api/serviceaccounts/${fresh.body.id}`, c);
      },
    },
  ];

  const oncall = (): Check[] => [
    { permission: 'grafana-irm-app.user-settings:read', call: req('GET', '/api/v1/users/') },
    { permission: 'grafana-irm-app.other-settings:read', call: req('GET', '/api/v1/organizations/') },
    { permission: 'grafana-irm-app.other-settings:write', call: (c) => f.t.request('PUT', `/api/v1/organizations/${orgPublicId}/`, { ...c, body: {} }) },
  ];

  it('Grafana: each role passes exactly the permissions its set holds; others get the 403 naming the permission', async () => {
    for (const role of ROLES) {
      for (const { permission, call } of grafana()) {
        const r = await call(users[role].creds);
        const where = `${role} ${permission}: ${r.status} ${r.text}`;
        if (ROLE_PERMISSIONS[role].has(permission)) {
          assert.ok(r.status < 400 || r.status === 409, where);
        } else {
          assert.equal(r.status, 403, where);
          assert.match(r.body.message, new RegExp(`Permissions needed: ${permission.replace(/[.]/g, '\\.')}$`), where);
        }
      }
    }
  });

  it('OnCall: each role token passes exactly the permissions its set holds; others get DRF 403', async () => {
    for (const role of ROLES) {
      for (const { permission, call } of oncall()) {
        const r = await call(tokens[role]);
        const where = `${role} ${permission}: ${r.status} ${r.text}`;
        if (ROLE_PERMISSIONS[role].has(permission)) assert.equal(r.status, 200, where);
        else assert.deepEqual([r.status, r.body], [403, { detail: GENERIC }], where);
      }
    }
  });

  it('server admins read any org; an org Admin elsewhere may not', async () => {
    assert.equal((await f.t.request('GET', `/api/orgs/${otherOrg}`, f.t.admin)).status, 200);
    const r = await f.t.request('GET', `/api/orgs/${otherOrg}`, users.Admin.creds);
    assert.equal(r.status, 403);
    assert.match(r.body.message, /Permissions needed: orgs:read$/);
  });

  it('a team admin may look users up; other non-admins may not (teams.permissions via TEAM_ADMIN)', async () => {
    const lookup = (c: Creds) => f.t.request('GET', '/api/org/users/lookup', c);
    assert.equal((await lookup(users.Editor.creds)).status, 403);
    const add = await f.t.request('POST', `/api/teams/${teamId}/members`, { ...f.t.admin, body: { userId: users.Editor.id } });
    assert.ok(add.status === 200 || add.status === 400, add.text);
    const promote = await f.t.request('PUT', `/api/teams/${teamId}/members/${users.Editor.id}`, { ...f.t.admin, body: { permission: 4 } });
    assert.equal(promote.status, 200, promote.text);
    assert.equal((await lookup(users.Editor.creds)).status, 200);
    assert.equal((await lookup(users.Viewer.creds)).status, 403);
  });

  it('PostHog: levels decide edits, members read, outsiders are refused', async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    assert.equal((await f.t.request('GET', `${org}/members/`, f.member.creds)).status, 200);
    assert.deepEqual((await f.t.request('GET', `${org}/members/`, f.outsider.creds)).body, FORBIDDEN);
    const memberPatch = await f.t.request('PATCH', `${org}/`, { ...f.member.creds, body: { name: 'Acme' } });
    assert.deepEqual([memberPatch.status, memberPatch.body], [403, denied('Your organization access level is insufficient.')]);
    assert.equal((await f.t.request('PATCH', `${org}/`, { ...f.admin.creds, body: { name: 'Acme' } })).status, 200);
    const adminDelete = await f.t.request('DELETE', `${org}/`, f.admin.creds);
    assert.deepEqual([adminDelete.status, adminDelete.body], [403, denied('Your organization access level is insufficient.')]);
    const memberDelete = await f.t.request('DELETE', `${org}/`, f.member.creds);
    assert.deepEqual([memberDelete.status, memberDelete.body], [403, denied('You do not have admin access to this resource.')]);
  });

  it('PostHog: a plain member may not remove others but may remove themselves', async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    const other = await f.t.request('DELETE', `${org}/members/${f.admin.uuid}/`, f.member.creds);
    assert.deepEqual([other.status, other.body], [403, denied('You can only edit others if you are an admin.')]);
    // Grafana's rule differs: a Viewer may not remove anyone, themselves included.
    const grafanaSelf = await f.t.request('DELETE', `/api/org/users/${users.Viewer.id}`, users.Viewer.creds);
    assert.equal(grafanaSelf.status, 403);
    const leave = await f.t.request('DELETE', `${org}/members/${f.member.uuid}/`, f.member.creds);
    assert.equal(leave.status, 204, leave.text);
    assert.deepEqual((await f.t.request('GET', `${org}/members/`, f.member.creds)).body, FORBIDDEN);
  });

  it("a personal key's scopes narrow its Admin owner's permissions; an org-limited key reaches only its orgs", async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    const readOnly = await makeKey(f.t, f.owner.creds, ['organization:read']);
    assert.equal((await f.t.request('GET', `${org}/`, { bearer: readOnly })).status, 200);
    const write = await f.t.request('PATCH', `${org}/`, { bearer: readOnly, body: { name: 'Acme' } });
    assert.deepEqual([write.status, write.body], [403, denied("API key missing required scope 'organization:write'")]);
    const members = await f.t.request('GET', `${org}/members/`, { bearer: readOnly });
    assert.deepEqual([members.status, members.body], [403, denied("API key missing required scope 'organization_member:read'")]);
    const own = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, body: { name: 'Owner Other' } });
    const limited = await makeKey(f.t, f.owner.creds, ['*'], [own.body.id]);
    assert.equal((await f.t.request('GET', `/api/organizations/${own.body.id}/members/`, { bearer: limited })).status, 200);
    const outside = await f.t.request('GET', `${org}/members/`, { bearer: limited });
    assert.deepEqual([outside.status, outside.body], [403, denied(`API key does not have access to the requested organization: ID ${f.acme.uuid}.`)]);
  });

  it("the policy's set for a key is its owner's set cut down to what the scopes cover", async () => {
    const key: Principal = {
      kind: 'personal-key',
      userId: f.owner.id,
      serviceAccountId: null,
      tokenId: null,
      login: f.owner.login,
      orgId: f.acme.id,
      role: 'Admin',
      isServerAdmin: false,
      scopes: ['organization:read', 'organization_member:write'],
      scopedOrgs: null,
    };
    const held = await permissionsIn(f.t.roster.ctx, key, f.acme.id);
    // organization:read also covers reading roles and who holds them (PostHog's RoleViewSet is an organization object).
    assert.deepEqual([...held].sort(), ['org.users:add', 'org.users:read', 'org.users:remove', 'org.users:write', 'orgs:read', 'roles:read', 'users.roles:read']);
    const owner: Principal = { ...key, kind: 'user', scopes: undefined };
    assert.deepEqual(await permissionsIn(f.t.roster.ctx, owner, f.acme.id), ROLE_PERMISSIONS.Admin);
  });
});
