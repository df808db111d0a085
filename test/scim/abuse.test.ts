// SCIM under bad input and hostile callers: every refusal is a SCIM error body with its scimType
// and leaves the store as it was; a token reaches its own org only; one person provisioned by two
// orgs is one user, and deprovisioning in one org keeps the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startRoster, type Reply, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { runCli, untilServersSeeCliWrites } from '../cli/run-cli.ts';
import { makeToken } from '../oncall/fixtures.ts';
import { assertScimError, GROUP, newUser, orgWithToken, PATCH_OP, scimClient } from './fixtures.ts';

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe('SCIM abuse and bad input', () => {
  let t: TestRoster;
  let a: { orgId: number; token: string; tokenId: number };
  let b: { orgId: number; token: string; tokenId: number };
  let scimA: ReturnType<typeof scimClient>;
  let scimB: ReturnType<typeof scimClient>;
  let userA: string;
  let groupA: string;
  let userB: string;
  let groupB: string;
  const digest = async () =>
    createHash('sha256')
      .update(await dumpTables(t.roster.ctx.db))
      .digest('hex');

  /** The request is refused as `status`/`scimType` and the store is unchanged. */
  const refused = async (status: number, scimType: string | undefined, send: () => Promise<Reply>) => {
    const before = await digest();
    const r = await send();
    assertScimError(r, status, scimType);
    assert.equal(await digest(), before, `store unchanged: ${r.text}`);
    return r;
  };

  before(async () => {
    t = await startRoster();
    a = await orgWithToken(t, 'Org A');
    b = await orgWithToken(t, 'Org B');
    scimA = scimClient(t, a.token);
    scimB = scimClient(t, b.token);
    userA = (await scimA('POST', '/Users', newUser('alice@a.example'))).body.id;
    groupA = (await scimA('POST', '/Groups', { schemas: [GROUP], displayName: 'A team', members: [{ value: userA }] })).body.id;
    userB = (await scimB('POST', '/Users', newUser('bob@b.example'))).body.id;
    groupB = (await scimB('POST', '/Groups', { schemas: [GROUP], displayName: 'B team', members: [{ value: userB }] })).body.id;
    assert.ok(userA && groupA && userB && groupB);
  });
  after(() => t.close());

  it('refuses malformed filters, bad PATCH bodies and unknown attributes, changing nothing', async () => {
    await refused(400, 'invalidFilter', () => scimA('GET', `/Users?filter=${encodeURIComponent('userName eq')}`));
    await refused(400, 'invalidFilter', () => scimA('GET', `/Groups?filter=${encodeURIComponent('displayName xx "a"')}`));
    await refused(400, 'invalidSyntax', () => scimA('PATCH', `/Users/${userA}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }));
    await refused(400, 'invalidSyntax', () => scimA('PATCH', `/Users/${userA}`, patch()));
    await refused(400, 'invalidSyntax', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'move', path: 'active', value: false })));
    await refused(400, 'invalidPath', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'favouriteColour', value: 'red' })));
    await refused(400, 'noTarget', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'remove' })));
    await refused(400, 'invalidValue', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'active', value: 'maybe' })));
    await refused(400, 'mutability', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'id', value: 'mine' })));
    await refused(400, 'invalidSyntax', () => scimA('POST', '/Users', { ...newUser('carol@a.example'), shoeSize: 44 }));
    await refused(400, 'invalidValue', () => scimA('POST', '/Users', { schemas: [GROUP], displayName: 'no userName' }));
    await refused(400, 'invalidSyntax', () => t.request('POST', '/scim/v2/Users', { bearer: a.token, rawBody: '{"userName": ', contentType: 'application/scim+json' }));
  });

  it('answers a taken userName with 409 uniqueness, and a member of another org with 400 invalidValue', async () => {
    await refused(409, 'uniqueness', () => scimA('POST', '/Users', newUser('alice@a.example')));
    await refused(409, 'uniqueness', () => scimA('POST', '/Users', newUser('ALICE@a.example')));
    // A userName of one user with the email of another.
    await refused(409, 'uniqueness', () => scimA('POST', '/Users', { ...newUser('alice@a.example'), emails: [{ value: 'bob@b.example', primary: true }] }));
    await refused(409, 'uniqueness', () => scimA('POST', '/Groups', { schemas: [GROUP], displayName: 'A team' }));
    await refused(400, 'invalidValue', () => scimA('POST', '/Groups', { schemas: [GROUP], displayName: 'Leaky', members: [{ value: userB }] }));
    await refused(400, 'invalidValue', () => scimA('PATCH', `/Groups/${groupA}`, patch({ op: 'add', path: 'members', value: [{ value: userB }] })));
    await refused(400, 'invalidValue', () => scimA('PUT', `/Groups/${groupA}`, { schemas: [GROUP], displayName: 'A team', members: [{ value: userA }, { value: userB }] }));
  });

  it('applies a PATCH all or nothing', async () => {
    // The rename is valid, the member is not: neither is applied.
    await refused(400, 'invalidValue', () =>
      scimA('PATCH', `/Groups/${groupA}`, patch({ op: 'replace', path: 'displayName', value: 'Renamed' }, { op: 'add', path: 'members', value: [{ value: userB }] })),
    );
    await scimA('POST', '/Users', newUser('dora@a.example'));
    await refused(409, 'uniqueness', () =>
      scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'displayName', value: 'Alice Renamed' }, { op: 'replace', path: 'userName', value: 'dora@a.example' })),
    );
    // Deactivation first, then a bad op: the user stays active and in the org.
    await refused(400, 'invalidPath', () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'active', value: false }, { op: 'replace', path: 'nope', value: 1 })));
    assert.equal((await scimA('GET', `/Users/${userA}`)).body.active, true);
  });

  it('versions resources: ETag and meta.version, If-Match honoured, 412 on a stale one', async () => {
    const got = await scimA('GET', `/Users/${userA}`);
    const version = got.headers.etag as string;
    assert.equal(version, got.body.meta.version);
    assert.match(version, /^W\/"/);
    const put = await scimA('PUT', `/Users/${userA}`, { ...newUser('alice@a.example'), displayName: 'Alice A' }, { 'if-match': version });
    assert.equal(put.status, 200, put.text);
    assert.notEqual(put.body.meta.version, version);
    assert.equal(put.headers.etag, put.body.meta.version);
    await refused(412, undefined, () => scimA('PUT', `/Users/${userA}`, newUser('alice@a.example'), { 'if-match': version }));
    await refused(412, undefined, () => scimA('PATCH', `/Users/${userA}`, patch({ op: 'replace', path: 'active', value: false }), { 'if-match': version }));
    await refused(412, undefined, () => scimA('DELETE', `/Users/${userA}`, undefined, { 'if-match': version }));
    const g = await scimA('GET', `/Groups/${groupA}`);
    await refused(412, undefined, () => scimA('PATCH', `/Groups/${groupA}`, patch({ op: 'replace', path: 'displayName', value: 'x' }), { 'if-match': 'W/"old"' }));
    const ok = await scimA('PATCH', `/Groups/${groupA}`, patch({ op: 'replace', path: 'displayName', value: 'A team' }), { 'if-match': g.body.meta.version });
    assert.equal(ok.status, 200, ok.text);
  });

  it("never reaches another org's users or groups (404), nor lists them", async () => {
    for (const [method, path, body] of [
      ['GET', `/Users/${userB}`, undefined],
      ['PUT', `/Users/${userB}`, newUser('bob@b.example')],
      ['PATCH', `/Users/${userB}`, patch({ op: 'replace', path: 'active', value: false })],
      ['DELETE', `/Users/${userB}`, undefined],
      ['GET', `/Groups/${groupB}`, undefined],
      ['PUT', `/Groups/${groupB}`, { schemas: [GROUP], displayName: 'Taken over' }],
      ['PATCH', `/Groups/${groupB}`, patch({ op: 'add', path: 'members', value: [{ value: userA }] })],
      ['DELETE', `/Groups/${groupB}`, undefined],
      // Ids past any integer column, and text that is no id.
      ['GET', '/Users/2147483648', undefined],
      ['GET', '/Groups/-2147483649', undefined],
    ] as const) {
      const r = await refused(404, undefined, () => scimA(method, path, body));
      assert.equal(r.body.detail, 'Resource not found');
    }
    const listed = await scimA('GET', `/Users?filter=${encodeURIComponent('userName eq "bob@b.example"')}`);
    assert.equal(listed.body.totalResults, 0);
    const all = await scimA('GET', '/Users?count=1000');
    assert.ok(!all.body.Resources.some((u: { id: string }) => u.id === userB));
    const groups = await scimA('GET', '/Groups');
    assert.ok(!groups.body.Resources.some((g: { id: string }) => g.id === groupB));
  });

  it('provisions one person into two orgs as one user; deprovisioning in one keeps the other', async () => {
    const inA = await scimA('POST', '/Users', { ...newUser('erin@shared.example'), externalId: 'okta-erin' });
    const inB = await scimB('POST', '/Users', { ...newUser('erin@shared.example'), externalId: 'entra-erin' });
    assert.equal(inA.status, 201, inA.text);
    assert.equal(inB.status, 201, inB.text);
    assert.equal(inA.body.id, inB.body.id, 'one Roster user');
    assert.deepEqual([inA.body.externalId, inB.body.externalId], ['okta-erin', 'entra-erin'], 'externalId per org');
    const id = inA.body.id;
    const lookup = await t.request('GET', '/api/users/lookup?loginOrEmail=erin@shared.example', t.admin);
    const orgsOf = async () => ((await t.request('GET', `/api/users/${lookup.body.id}/orgs`, t.admin)).body as { orgId: number }[]).map((o) => o.orgId).sort();

    // A's deactivation: out of A only, still enabled (B has them).
    assert.equal((await scimA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: false }))).body.active, false);
    assert.deepEqual(await orgsOf(), [b.orgId]);
    assert.equal((await scimB('GET', `/Users/${id}`)).body.active, true);
    assert.equal((await t.request('GET', `/api/users/${lookup.body.id}`, t.admin)).body.isDisabled, false);
    // B's profile is B's too: A cannot rename a user B also has.
    await refused(400, 'mutability', () => scimA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'userName', value: 'mallory@evil.example' })));
    // A reactivates: back in A.
    assert.equal((await scimA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: true }))).body.active, true);
    assert.deepEqual(await orgsOf(), [a.orgId, b.orgId].sort());
    // Deleted in A, deactivated in B: in no org, disabled, never deleted.
    assert.equal((await scimA('DELETE', `/Users/${id}`)).status, 204);
    assert.equal((await scimB('GET', `/Users/${id}`)).body.active, true);
    assert.equal((await scimB('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: 'False' } }))).body.active, false);
    assert.deepEqual(await orgsOf(), []);
    assert.equal((await t.request('GET', `/api/users/${lookup.body.id}`, t.admin)).body.isDisabled, true);
    // Leave, change a field, come back: B renames the user it alone has, then reactivates them.
    const renamed = await scimB('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: 'Erin Back' }, { op: 'replace', path: 'active', value: 'True' }));
    assert.deepEqual([renamed.body.displayName, renamed.body.active], ['Erin Back', true], renamed.text);
    assert.equal((await t.request('GET', `/api/users/${lookup.body.id}`, t.admin)).body.isDisabled, false);
  });

  it("cannot rename or disable a server admin who is only in the token's org", async () => {
    const made = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login: 'root2', email: 'root2@x.example', password: 'password1', orgId: a.orgId } });
    assert.equal(made.status, 200, made.text);
    assert.equal((await t.request('PUT', `/api/admin/users/${made.body.id}/permissions`, { ...t.admin, body: { isGrafanaAdmin: true } })).status, 200);
    const found = await scimA('GET', `/Users?filter=${encodeURIComponent('userName eq "root2"')}`);
    const id = found.body.Resources[0].id;
    await refused(400, 'mutability', () => scimA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'mallory@evil.example' })));
    assert.equal((await scimA('PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'active', value: false }))).body.active, false);
    const user = await t.request('GET', `/api/users/${made.body.id}`, t.admin);
    assert.equal(user.body.isDisabled, false, 'out of the org, still enabled');
  });

  it('takes SCIM tokens only: revoked, foreign-kind and missing credentials are 401 SCIM errors', async () => {
    await refused(401, undefined, () => t.request('GET', '/scim/v2/Users', t.admin));
    await refused(401, undefined, () => t.request('GET', '/scim/v2/Users'));
    const sa = await makeToken(t, a.orgId, 'Admin', 'robot');
    await refused(401, undefined, () => t.request('GET', '/scim/v2/Users', { bearer: sa }));
    await refused(401, undefined, () => t.request('GET', '/scim/v2/Users', { bearer: 'rscim_forged' }));
    // A SCIM token is no credential elsewhere.
    const elsewhere = await t.request('GET', '/api/org', { bearer: a.token });
    assert.equal(elsewhere.status, 401, elsewhere.text);
    const extra = await t.request('POST', `/api/roster/v1/orgs/${a.orgId}/scim-tokens`, { ...t.admin, body: { name: 'spare' } });
    assert.equal((await scimClient(t, extra.body.token)('GET', '/Users')).status, 200);
    assert.equal((await t.request('DELETE', `/api/roster/v1/orgs/${a.orgId}/scim-tokens/${extra.body.scimToken.id}`, t.admin)).status, 204);
    const r = await refused(401, undefined, () => scimClient(t, extra.body.token)('GET', '/Users'));
    assert.equal(r.body.detail, 'SCIM token revoked');
  });

  it("lets only an org's Admins (and server admins) manage its SCIM tokens", async () => {
    const mk = async (login: string, orgId: number, role: string) => {
      const u = await t.request('POST', '/api/admin/users', { ...t.admin, body: { login, password: 'password1', orgId } });
      assert.equal(u.status, 200, u.text);
      await t.request('PATCH', `/api/orgs/${orgId}/users/${u.body.id}`, { ...t.admin, body: { role } });
      return { basic: [login, 'password1'] as [string, string], headers: { 'x-grafana-org-id': String(orgId) } };
    };
    const viewer = await mk('vera', a.orgId, 'Viewer');
    const adminB = await mk('bart', b.orgId, 'Admin');
    const before = await digest();
    for (const [who, method, url] of [
      [viewer, 'GET', `/api/roster/v1/orgs/${a.orgId}/scim-tokens`],
      [viewer, 'POST', `/api/roster/v1/orgs/${a.orgId}/scim-tokens`],
      [viewer, 'DELETE', `/api/roster/v1/orgs/${a.orgId}/scim-tokens/${a.tokenId}`],
      [adminB, 'GET', `/api/roster/v1/orgs/${a.orgId}/scim-tokens`],
      [adminB, 'POST', `/api/roster/v1/orgs/${a.orgId}/scim-tokens`],
      [adminB, 'DELETE', `/api/roster/v1/orgs/${a.orgId}/scim-tokens/${a.tokenId}`],
      // B's Admin names B's org with A's token id: not B's token.
    ] as const) {
      const r = await t.request(method, url, { ...who, ...(method === 'POST' ? { body: {} } : {}) });
      assert.equal(r.status, 403, `${method} ${url}: ${r.text}`);
    }
    const crossed = await t.request('DELETE', `/api/roster/v1/orgs/${b.orgId}/scim-tokens/${a.tokenId}`, adminB);
    assert.equal(crossed.status, 404, crossed.text);
    assert.equal(await digest(), before);
    const own = await t.request('GET', `/api/roster/v1/orgs/${b.orgId}/scim-tokens`, adminB);
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(
      own.body.map((x: { id: number }) => x.id),
      [b.tokenId],
    );
    assert.ok(!JSON.stringify(own.body).includes(b.token), 'no secret listed');
  });

  it('roster scim-token create --json prints a working token once; list and revoke', async () => {
    const cli = (...args: string[]) => runCli(t.config.databaseUrl, args);
    const made = await cli('scim-token', 'create', '--org', String(a.orgId), '--json');
    assert.equal(made.code, 0, made.stderr);
    const { token, id } = made.json<{ token: string; id: number }>();
    assert.match(token, /^rscim_/);
    assert.equal((await scimClient(t, token)('GET', '/ServiceProviderConfig')).status, 200);
    const listed = await cli('scim-token', 'list', '--org', String(a.orgId), '--json');
    assert.ok(listed.json<{ id: number }[]>().some((x) => x.id === id));
    assert.ok(!listed.stdout.includes(token));
    assert.equal((await cli('scim-token', 'revoke', String(id))).code, 0);
    await untilServersSeeCliWrites();
    assert.equal((await scimClient(t, token)('GET', '/Users')).status, 401);
    assert.equal((await cli('scim-token', 'revoke', '999999')).code, 2);
  });
});
