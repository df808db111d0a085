// Bad input on the PostHog face: PostHog's 4xx body, never a 500, and the store unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, type Fixture } from './fixture.ts';

describe('PostHog face: bad input', () => {
  let f: Fixture;
  let snapshot: () => Promise<string>;
  before(async () => {
    f = await startFixture();
    const db = f.t.roster.ctx.db;
    snapshot = async () =>
      JSON.stringify([
        await db.selectFrom('orgs').selectAll().orderBy('id').execute(),
        await db.selectFrom('org_members').selectAll().orderBy('org_id').orderBy('user_id').execute(),
        await db.selectFrom('invites').selectAll().orderBy('id').execute(),
        await db.selectFrom('integrations').selectAll().orderBy('id').execute(),
        await db.selectFrom('tokens').select(['id', 'name', 'scopes', 'scoped_orgs']).orderBy('id').execute(),
      ]);
  });
  after(() => f.t.close());

  const isPosthogError = (body: any) => body && typeof body.type === 'string' && typeof body.code === 'string' && typeof body.detail === 'string' && 'attr' in body;

  it('malformed JSON is a 400 parse_error on every writing route', async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    const before = await snapshot();
    const writes: [string, string][] = [
      ['POST', '/api/organizations/'],
      ['PATCH', `${org}/`],
      ['PUT', `${org}/`],
      ['PATCH', `${org}/members/${f.member.uuid}/`],
      ['POST', `${org}/invites/`],
      ['POST', '/api/personal_api_keys/'],
    ];
    for (const [method, url] of writes) {
      for (const rawBody of ['{"name":', '{bad json}', '[1,2', '"unterminated']) {
        const r = await f.t.request(method, url, { ...f.owner.creds, rawBody });
        assert.equal(r.status, 400, `${method} ${url} ${rawBody}`);
        assert.equal(r.body.type, 'invalid_request');
        assert.equal(r.body.code, 'parse_error');
        assert.equal(r.body.attr, null);
      }
    }
    assert.equal(await snapshot(), before);
  });

  it('wrong JSON shapes and types are 400 validation errors', async () => {
    const org = `/api/organizations/${f.acme.uuid}`;
    const before = await snapshot();
    const cases: [string, string, string][] = [
      ['POST', '/api/organizations/', '[]'],
      ['POST', '/api/organizations/', '"Acme"'],
      ['POST', '/api/organizations/', '42'],
      ['POST', '/api/organizations/', '{"name": 42}'],
      ['POST', '/api/organizations/', '{"name": {"a": 1}}'],
      ['POST', '/api/organizations/', '{"name": true}'],
      ['PATCH', `${org}/`, '{"name": ""}'],
      ['PATCH', `${org}/`, `{"name": "${'y'.repeat(65)}"}`],
      ['PATCH', `${org}/`, '{"enforce_2fa": "sometimes"}'],
      ['PATCH', `${org}/`, '{"members_can_invite": [true]}'],
      ['PATCH', `${org}/`, '{"default_anonymize_ips": null}'],
      ['PATCH', `${org}/`, '{"default_experiment_stats_method": 7}'],
      ['PATCH', `${org}/`, '{"default_role_id": ["x"]}'],
      ['PATCH', `${org}/`, '{"logo_media_id": "not-a-uuid"}'],
      ['PATCH', `${org}/`, '[{"name": "x"}]'],
      ['PATCH', `${org}/members/${f.member.uuid}/`, '{"level": "owner"}'],
      ['PATCH', `${org}/members/${f.member.uuid}/`, '{"level": 8.5}'],
      ['POST', `${org}/invites/`, '{"target_email": ["a@example.com"]}'],
      ['POST', `${org}/invites/`, '{"target_email": "a@example.com", "level": "8x"}'],
      ['POST', `${org}/invites/`, '{"target_email": "a@example.com", "private_project_access": "all"}'],
      ['POST', '/api/personal_api_keys/', '{"label": 5, "scopes": ["*"]}'],
      ['POST', '/api/personal_api_keys/', '{"label": "k", "scopes": [1]}'],
      ['POST', '/api/personal_api_keys/', '{"label": "k", "scopes": ["*"], "scoped_organizations": "x"}'],
      ['POST', '/api/personal_api_keys/', '{"label": "k", "scopes": ["*"], "scoped_teams": ["a"]}'],
    ];
    for (const [method, url, rawBody] of cases) {
      const r = await f.t.request(method, url, { ...f.owner.creds, rawBody });
      assert.equal(r.status, 400, `${method} ${url} ${rawBody}: ${r.text}`);
      assert.ok(isPosthogError(r.body), r.text);
      assert.equal(r.body.type, 'validation_error', `${method} ${url} ${rawBody}`);
    }
    assert.equal(await snapshot(), before);
  });

  it('unknown fields are ignored', async () => {
    const r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/`, { ...f.owner.creds, body: { whatever: 1, nested: { a: [1] }, id: 'x', created_at: 'y' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, f.acme.uuid);
  });

  it('non-UUID and unknown ids are 404 PostHog bodies everywhere', async () => {
    const before = await snapshot();
    const ids = ['nope', '1', '%20', 'ffffffff-ffff-ffff-ffff-ffffffffffff', `${f.acme.uuid}x`, "'; drop table orgs; --"];
    for (const id of ids) {
      const e = encodeURIComponent(id);
      for (const [method, url] of [
        ['GET', `/api/organizations/${e}/`],
        ['PATCH', `/api/organizations/${e}/`],
        ['DELETE', `/api/organizations/${e}/`],
        ['GET', `/api/organizations/${e}/members/`],
        ['GET', `/api/organizations/${e}/invites/`],
        ['GET', `/api/organizations/${e}/integrations/`],
        ['DELETE', `/api/organizations/${f.acme.uuid}/members/${e}/`],
        ['DELETE', `/api/organizations/${f.acme.uuid}/invites/${e}/`],
        ['GET', `/api/organizations/${f.acme.uuid}/integrations/${e}/`],
        ['DELETE', `/api/organizations/${f.acme.uuid}/integrations/${e}/`],
        ['GET', `/api/personal_api_keys/${e}/`],
        ['DELETE', `/api/personal_api_keys/${e}/`],
      ] as const) {
        const r = await f.t.request(method, url, { ...f.owner.creds, body: method === 'PATCH' ? { name: 'x' } : undefined });
        assert.equal(r.status, 404, `${method} ${url}: ${r.text}`);
        assert.ok(isPosthogError(r.body), `${method} ${url}: ${r.text}`);
        assert.equal(r.body.code, 'not_found');
      }
    }
    assert.equal(await snapshot(), before);
  });

  it('other content types are refused with a PostHog body', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, rawBody: 'name=x', contentType: 'text/plain' });
    assert.equal(r.status, 415);
    assert.ok(isPosthogError(r.body));
  });

  it('an empty body is an empty object', async () => {
    const r = await f.t.request('POST', '/api/organizations/', { ...f.owner.creds, rawBody: '' });
    assert.equal(r.status, 400);
    assert.equal(r.body.attr, 'name');
    assert.equal(r.body.code, 'required');
  });

  it('huge integers and odd numbers never reach the database as errors', async () => {
    const before = await snapshot();
    for (const level of [1e20, -1, 0, Number.MAX_SAFE_INTEGER + 2]) {
      const r = await f.t.request('PATCH', `/api/organizations/${f.acme.uuid}/members/${f.member.uuid}/`, { ...f.owner.creds, body: { level } });
      assert.equal(r.status, 400);
    }
    const r = await f.t.request('GET', '/api/personal_api_keys/99999999999999999999/', f.owner.creds);
    assert.equal(r.status, 404);
    assert.equal(await snapshot(), before);
  });
});
