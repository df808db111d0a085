// Bad input gets a 4xx in the face's format and changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('hostile input on the Grafana face', () => {
  let t: TestRoster;
  before(async () => {
    t = await startRoster();
  });
  after(() => t.close());

  const snapshot = async () =>
    JSON.stringify([
      (await t.request('GET', '/api/orgs', t.admin)).body,
      (await t.request('GET', '/api/users', t.admin)).body.map((u: any) => [u.id, u.login, u.email, u.name]),
      (await t.request('GET', '/api/org/users', t.admin)).body.map((u: any) => [u.userId, u.role]),
    ]);

  it('malformed, truncated, wrong-typed, nested and oversize bodies: 4xx {message}, no 500, nothing changes', async () => {
    const before = await snapshot();
    const bodies = [
      '{',
      '{"name":',
      'null',
      '"x"',
      '123',
      '[1,2]',
      '{"name":null}',
      '{"name":{"a":1}}',
      '{"name":["x"]}',
      '{"__proto__":{"isAdmin":true}}',
      '{"name":"' + 'x'.repeat(2 * 1024 * 1024) + '"}',
      '['.repeat(5000) + ']'.repeat(5000),
      '\xff\xfe{"name":"x"}',
    ];
    for (const url of ['/api/org', '/api/orgs', '/api/org/users', '/api/admin/users', '/api/orgs/1/users', '/api/org/users/1', '/api/user/password']) {
      for (const rawBody of bodies) {
        const method = url === '/api/orgs' || (url.endsWith('/users') && !url.endsWith('/org/users/1')) || url === '/api/admin/users' ? 'POST' : url.endsWith('/1') ? 'PATCH' : 'PUT';
        const r = await t.request(method, url, { ...t.admin, rawBody });
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${url} ${rawBody.slice(0, 30)} -> ${r.status}`);
        assert.equal(typeof r.body?.message, 'string', `${method} ${url} has a message`);
      }
    }
    assert.equal(await snapshot(), before);
  });

  it('SQL and path metacharacters in ids and queries are plain data', async () => {
    for (const url of ["/api/orgs/1'%20OR%201=1", '/api/orgs/name/%27%3B%20DROP%20TABLE%20orgs%3B--', '/api/users/..%2F..%2Fetc', '/api/users?query=%27%20OR%201%3D1--', '/api/orgs?query=%25%5F']) {
      const r = await t.request('GET', url, t.admin);
      assert.ok(r.status < 500, `${url} -> ${r.status}`);
    }
    assert.equal((await t.request('GET', '/api/users?query=%27%20OR%201%3D1--', t.admin)).body.length, 0);
    assert.equal((await t.request('GET', '/api/orgs', t.admin)).body.length, 1);
  });

  it('an oversize body is 413', async () => {
    const r = await t.request('PUT', '/api/org', { ...t.admin, rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(r.status, 413);
  });

  it('an unsupported content type is 415, not 500', async () => {
    const r = await t.request('PUT', '/api/org', { ...t.admin, rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 415);
  });
});
