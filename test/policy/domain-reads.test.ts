// The domain reads the faces call decide for themselves who may read: called with the principal of
// someone outside the org, each refuses, even though every face route checks the org first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getContact } from '../../src/domain/contact.ts';
import { pendingEmail } from '../../src/domain/email-verification.ts';
import { isDomainError, type ErrorKind } from '../../src/domain/errors.ts';
import { createIntegration } from '../../src/domain/integrations.ts';
import { readOrg, updateOrgSettings } from '../../src/domain/orgs.ts';
import { activeMemberCount, listOrgMembers, memberKeysReachingOrg, memberPathUser, orgRecordCreator } from '../../src/domain/posthog-member-reads.ts';
import { findCurrentOrg } from '../../src/domain/posthog-orgs.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { startFixture, type Fixture, type TestUser } from '../posthog/fixture.ts';

const refusedWith = (kind: ErrorKind) => (err: unknown) => isDomainError(err) && err.kind === kind;

describe('domain reads authorize their caller', () => {
  let f: Fixture;
  let outsider: Principal;
  let member: Principal;
  let acmePublicId: string;

  const userPrincipal = (u: TestUser, orgId: number, role: Principal['role']): Principal => ({
    kind: 'user',
    userId: u.id,
    serviceAccountId: null,
    tokenId: null,
    login: u.login,
    orgId,
    role,
    isServerAdmin: false,
  });

  before(async () => {
    f = await startFixture();
    outsider = userPrincipal(f.outsider, 0, null);
    member = userPrincipal(f.member, f.acme.id, 'Editor');
    const ctx = f.t.roster.ctx;
    acmePublicId = (await readOrg(ctx, userPrincipal(f.owner, f.acme.id, 'Admin'), f.acme.id)).public_id;
  });
  after(() => f.t.close());

  it("PostHog member reads: a member reads, someone outside the org gets PostHog's member 403", async () => {
    const ctx = f.t.roster.ctx;
    const acme = f.acme;
    assert.ok((await listOrgMembers(ctx, member, acme.id, {})).total >= 3);
    assert.equal((await memberPathUser(ctx, member, acme.id, '@me'))?.id, f.member.id);
    assert.ok(await activeMemberCount(ctx, member, acme.id));
    assert.deepEqual(await memberKeysReachingOrg(ctx, member, acme, f.owner.id), []);
    assert.equal((await orgRecordCreator(ctx, member, acme.id, f.owner.id))?.id, f.owner.id);

    const forbidden = refusedWith('forbidden');
    await assert.rejects(listOrgMembers(ctx, outsider, acme.id, {}), forbidden);
    await assert.rejects(memberPathUser(ctx, outsider, acme.id, f.owner.uuid), forbidden);
    await assert.rejects(activeMemberCount(ctx, outsider, acme.id), forbidden);
    await assert.rejects(memberKeysReachingOrg(ctx, outsider, acme, f.owner.id), forbidden);
    await assert.rejects(orgRecordCreator(ctx, outsider, acme.id, f.owner.id), forbidden);
  });

  it("a member's keys are never read with a personal key, not even a member's", async () => {
    const key: Principal = { ...member, kind: 'personal-key', scopes: ['*'], scopedOrgs: null };
    await assert.rejects(memberKeysReachingOrg(f.t.roster.ctx, key, f.acme, f.owner.id), refusedWith('forbidden'));
  });

  it('a pending email is read only for the caller themselves, never by a service account', async () => {
    const ctx = f.t.roster.ctx;
    assert.equal(await pendingEmail(ctx, member), null);
    const serviceAccount: Principal = { ...member, kind: 'service-account', userId: null, serviceAccountId: 1 };
    await assert.rejects(pendingEmail(ctx, serviceAccount), refusedWith('forbidden'));
  });

  it("the current org is the caller's own", async () => {
    const ctx = f.t.roster.ctx;
    assert.equal((await findCurrentOrg(ctx, member))?.id, f.acme.id);
    assert.notEqual((await findCurrentOrg(ctx, outsider))?.id, f.acme.id);
  });

  it('org reads and writes by path reference check the permission on the org the reference names', async () => {
    const ctx = f.t.roster.ctx;
    assert.equal((await readOrg(ctx, member, { publicId: acmePublicId })).id, f.acme.id);
    await assert.rejects(readOrg(ctx, outsider, { publicId: acmePublicId }), refusedWith('forbidden'));
    await assert.rejects(updateOrgSettings(ctx, member, { publicId: acmePublicId }, { phonePrivacyOverride: true }), refusedWith('forbidden'));
    await assert.rejects(updateOrgSettings(ctx, outsider, { publicId: acmePublicId }, { phonePrivacyOverride: true }), refusedWith('forbidden'));
    await assert.rejects(createIntegration(ctx, outsider, { uuid: f.acme.uuid }, { kind: 'slack' }), refusedWith('forbidden'));
    await assert.rejects(createIntegration(ctx, member, { id: f.acme.id }, { kind: 'slack' }), refusedWith('forbidden'));
    await assert.rejects(readOrg(ctx, member, { publicId: 'ONOSUCHORG' }), refusedWith('not-found'));
  });

  it("a contact by OnCall id: the user reads their own; someone outside the user's org does not find it", async () => {
    const ctx = f.t.roster.ctx;
    const own = await getContact(ctx, member, { id: f.member.id });
    const byPublicId = await getContact(ctx, member, { publicId: own.publicId });
    assert.equal(byPublicId.userId, f.member.id);
    await assert.rejects(getContact(ctx, outsider, { publicId: own.publicId }), refusedWith('not-found'));
  });
});
