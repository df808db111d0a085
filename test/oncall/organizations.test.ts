// The organizations API, with docs/compat/decisions.md#oncall-face (list envelope, PUT/PATCH, 404, 405).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { makeOrg, makeToken, orgPublicId } from './fixtures.ts';

describe('OnCall /api/v1/organizations', () => {
  let t: TestRoster;
  let orgId: string;
  let admin: string;
  let editor: string;
  before(async () => {
    t = await startRoster();
    orgId = await orgPublicId(t, 1);
    admin = await makeToken(t, 1, 'Admin');
    editor = await makeToken(t, 1, 'Editor');
  });
  after(() => t.close());

  it('GET /organizations/<id>/ returns the seed object (Bearer + X-Grafana-URL, as the seed sends)', async () => {
    const r = await t.request('GET', `/api/v1/organizations/${orgId}/`, {
      bearer: admin,
      headers: { 'content-type': 'application/json', 'x-grafana-url': 'https://your-stack.grafana.net' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { id: orgId, manually_manage_direct_paging_integrations: false });
    assert.match(orgId, /^O[A-NP-Z1-9]{12}$/);
    assert.equal(r.headers['allow'], 'GET, PUT, PATCH, HEAD, OPTIONS');
  });

  it("GET /organizations/ returns the documented envelope with the caller's one org", async () => {
    const r = await t.request('GET', '/api/v1/organizations/', { raw: editor });
    assert.equal(r.status, 200);
    assert.equal(r.text.startsWith('{"count":1,"next":null,"previous":null,"results":'), true);
    assert.deepEqual(r.body, {
      count: 1,
      next: null,
      previous: null,
      results: [{ id: orgId, manually_manage_direct_paging_integrations: false }],
      page_size: 25,
      current_page_number: 1,
      total_pages: 1,
    });
    assert.deepEqual(Object.keys(r.body), ['count', 'next', 'previous', 'results', 'page_size', 'current_page_number', 'total_pages']);
  });

  it('list pages clamp: page=9 serves page 1; perpage quirks', async () => {
    const r = await t.request('GET', '/api/v1/organizations?page=9&perpage=500', { raw: editor });
    assert.equal(r.status, 200);
    assert.equal(r.body.current_page_number, 1);
    assert.equal(r.body.page_size, 100);
    assert.equal(r.body.results.length, 1);
  });

  it('PATCH then PUT manually_manage_direct_paging_integrations (seed example), read back', async () => {
    let r = await t.request('PATCH', `/api/v1/organizations/${orgId}/`, {
      bearer: admin,
      headers: { 'x-grafana-url': 'https://your-stack.grafana.net' },
      body: { manually_manage_direct_paging_integrations: true },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { id: orgId, manually_manage_direct_paging_integrations: true });
    r = await t.request('GET', `/api/v1/organizations/${orgId}`, { raw: editor });
    assert.equal(r.body.manually_manage_direct_paging_integrations, true);
    r = await t.request('PUT', `/api/v1/organizations/${orgId}`, { raw: admin, body: { manually_manage_direct_paging_integrations: false } });
    assert.deepEqual([r.status, r.body.manually_manage_direct_paging_integrations], [200, false]);
    // DRF boolean spellings and null ("false or null: default automation")
    r = await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, body: { manually_manage_direct_paging_integrations: 'true' } });
    assert.deepEqual([r.status, r.body.manually_manage_direct_paging_integrations], [200, true]);
    r = await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, body: { manually_manage_direct_paging_integrations: null } });
    assert.deepEqual([r.status, r.body.manually_manage_direct_paging_integrations], [200, false]);
    // an empty body changes nothing
    r = await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, rawBody: '' });
    assert.deepEqual([r.status, r.body.manually_manage_direct_paging_integrations], [200, false]);
  });

  it('the setting is shared with the native API (manuallyManageDirectPagingIntegrations)', async () => {
    await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, body: { manually_manage_direct_paging_integrations: true } });
    const r = await t.request('GET', '/api/roster/v1/orgs/1/settings', t.admin);
    assert.equal(r.status, 200);
    assert.equal(r.body.manuallyManageDirectPagingIntegrations, true);
    await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, body: { manually_manage_direct_paging_integrations: false } });
  });

  it('bad bodies are DRF 400s and change nothing', async () => {
    const cases: [string, object][] = [
      ['{"manually_manage_direct_paging_integrations":"maybe"}', { manually_manage_direct_paging_integrations: ['Must be a valid boolean.'] }],
      ['{"manually_manage_direct_paging_integrations":[true]}', { manually_manage_direct_paging_integrations: ['Must be a valid boolean.'] }],
      ['[]', { non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] }],
      ['"x"', { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] }],
    ];
    for (const [rawBody, body] of cases) {
      const r = await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: admin, rawBody });
      assert.equal(r.status, 400, rawBody);
      assert.deepEqual(r.body, body, rawBody);
    }
    const bad = await t.request('PUT', `/api/v1/organizations/${orgId}`, { raw: admin, rawBody: '{"manually' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /^JSON parse error - /);
    const r = await t.request('GET', `/api/v1/organizations/${orgId}`, { raw: admin });
    assert.equal(r.body.manually_manage_direct_paging_integrations, false);
  });

  it('writing needs org Admin: Editor and Viewer get 403 permission', async () => {
    const viewer = await makeToken(t, 1, 'Viewer');
    for (const token of [editor, viewer]) {
      const r = await t.request('PATCH', `/api/v1/organizations/${orgId}`, { raw: token, body: { manually_manage_direct_paging_integrations: true } });
      assert.equal(r.status, 403);
      assert.deepEqual(r.body, { detail: 'You do not have permission to perform this action.' });
    }
  });

  it('role None has no permissions: 403 on read', async () => {
    const none = await makeToken(t, 1, 'None');
    for (const url of ['/api/v1/organizations/', `/api/v1/organizations/${orgId}/`]) {
      const r = await t.request('GET', url, { raw: none });
      assert.deepEqual([r.status, r.body], [403, { detail: 'You do not have permission to perform this action.' }]);
    }
  });

  it("another org's id and unknown ids are 404 Not found.", async () => {
    const other = await makeOrg(t, 'Other Org');
    const otherId = await orgPublicId(t, other);
    for (const id of [otherId, 'O53AAGWFBPE5W', 'foo']) {
      let r = await t.request('GET', `/api/v1/organizations/${id}/`, { raw: admin });
      assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }], id);
      r = await t.request('PATCH', `/api/v1/organizations/${id}/`, { raw: admin, body: { manually_manage_direct_paging_integrations: true } });
      assert.deepEqual([r.status, r.body], [404, { detail: 'Not found.' }], id);
    }
    // the other org's own token sees its own org only
    const otherToken = await makeToken(t, other, 'Admin');
    const r = await t.request('GET', '/api/v1/organizations', { raw: otherToken });
    assert.deepEqual(r.body.results, [{ id: otherId, manually_manage_direct_paging_integrations: false }]);
  });

  it('methods a route lacks are 405 with the DRF text after authentication', async () => {
    let r = await t.request('POST', '/api/v1/organizations/', { raw: admin, body: {} });
    assert.deepEqual([r.status, r.body], [405, { detail: 'Method "POST" not allowed.' }]);
    r = await t.request('DELETE', `/api/v1/organizations/${orgId}/`, { raw: admin });
    assert.deepEqual([r.status, r.body], [405, { detail: 'Method "DELETE" not allowed.' }]);
    r = await t.request('PUT', '/api/v1/organizations', { raw: admin, body: {} });
    assert.deepEqual([r.status, r.body], [405, { detail: 'Method "PUT" not allowed.' }]);
    r = await t.request('DELETE', `/api/v1/organizations/${orgId}/`);
    assert.deepEqual([r.status, r.body], [403, { detail: 'Invalid token.' }]);
  });
});
