// No password, token or session value reaches the logs or an error body, even at trace level.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, type TestRoster } from '../helpers/roster.ts';

describe('secrets stay out of logs and error bodies', () => {
  let t: TestRoster;
  const lines: string[] = [];
  before(async () => {
    t = await startRoster({ ROSTER_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void lines.push(line) } });
  });
  after(() => t.close());

  it('holds for sign-ins, tokens, keys and password changes through every face', async () => {
    const bodies: string[] = [];
    const call = async (...args: Parameters<TestRoster['request']>) => {
      const r = await t.request(...args);
      if (r.status >= 400) bodies.push(r.text);
      return r;
    };
    await call('POST', '/api/admin/users', { ...t.admin, body: { login: 'sam', password: 'Pa55word-Sam' } });
    await call('GET', '/api/user', { basic: ['sam', 'Wrong-Pa55word'] });
    const login = await call('POST', '/login', { body: { user: 'sam', password: 'Pa55word-Sam' } });
    const session = decodeURIComponent(String(login.headers['set-cookie']).split(';')[0].split('=')[1]);
    await call('POST', '/login', { body: { user: 'sam', password: 'Wrong-Pa55word' } });
    await call('PUT', '/api/user/password', { cookie: `grafana_session=${session}`, body: { oldPassword: 'Wrong-Pa55word', newPassword: 'New-Pa55word-Sam' } });
    const sa = await call('POST', '/api/serviceaccounts', { ...t.admin, body: { name: 'bot', role: 'Admin' } });
    const token = (await call('POST', `/api/serviceaccounts/${sa.body.id}/tokens`, { ...t.admin, body: { name: 'k' } })).body.key as string;
    await call('GET', '/api/org', { bearer: token });
    await call('GET', '/api/v1/users/', { raw: token });
    await call('GET', '/api/admin/users', { bearer: token });
    await call('GET', '/api/org', { bearer: token.slice(0, -1) + 'x' });
    const key = (await call('POST', '/api/personal_api_keys/', { ...t.admin, body: { label: 'k', scopes: ['organization:read'] } })).body.value as string;
    await call('GET', '/api/organizations/', { bearer: key });
    await call('POST', '/api/organizations/', { bearer: key, body: { name: 'x' } });
    await call('GET', '/api/org', { bearer: key });
    await call('GET', `/api/organizations/?personal_api_key=${key}`);
    await call('PUT', '/api/org', { ...t.admin, rawBody: '{"name":' });

    assert.ok(bodies.length >= 5, 'errors were produced');
    assert.ok(lines.length > 0, 'something was logged');
    const logs = lines.join('\n');
    for (const secret of ['Pa55word-Sam', 'Wrong-Pa55word', 'New-Pa55word-Sam', 'admin-secret', token, token.slice(5, 37), key, key.slice(4), session]) {
      assert.ok(!logs.includes(secret), `logs hold no ${secret.slice(0, 8)}...`);
      assert.ok(!bodies.some((b) => b.includes(secret)), `error bodies hold no ${secret.slice(0, 8)}...`);
    }
  });
});
