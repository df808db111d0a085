// docs/sso.md#setting-it-up: the ROSTER_OIDC_* settings are checked at start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';

const base = { ROSTER_DATABASE_URL: 'sqlite::memory:', ROSTER_PUBLIC_URL: 'https://roster.example.com/' };
const oidc = { ROSTER_OIDC_ISSUER: 'https://idp.example.com/realms/acme', ROSTER_OIDC_CLIENT_ID: 'roster' };
const load = (env: Record<string, string>) => loadConfig({}, { ...base, ...env });
const refuses = (env: Record<string, string>, message: RegExp) =>
  assert.throws(
    () => load(env),
    (err: Error) => err instanceof ConfigError && message.test(err.message),
  );

describe('single sign-on settings', () => {
  it('unset issuer: no single sign-on; a client id without it is a mistake', () => {
    assert.equal(load({}).oidc, undefined);
    refuses({ ROSTER_OIDC_CLIENT_ID: 'roster' }, /ROSTER_OIDC_ISSUER is not/);
  });

  it('defaults, as Grafana: sign-up on, auto-login off, strict off, GrafanaAdmin off; the redirect URI from the public URL', () => {
    const c = load(oidc).oidc!;
    assert.deepEqual(c.scopes, ['openid', 'email', 'profile']);
    assert.equal(c.name, 'OAuth');
    assert.equal(c.allowSignUp, true);
    assert.equal(c.autoLogin, false);
    assert.equal(c.roleAttributeStrict, false);
    assert.equal(c.allowAssignGrafanaAdmin, false);
    assert.equal(c.redirectUri, 'https://roster.example.com/login/generic_oauth');
    assert.equal(c.clientSecret, undefined);
  });

  it('lists: spaces or commas, or a JSON array for names holding either', () => {
    const c = load({
      ...oidc,
      ROSTER_OIDC_ALLOWED_DOMAINS: 'Example.com, @corp.example',
      ROSTER_OIDC_ALLOWED_GROUPS: '["cn=ops,ou=groups", "sre team"]',
      ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups',
    }).oidc!;
    assert.deepEqual(c.allowedDomains, ['example.com', 'corp.example']);
    assert.deepEqual(c.allowedGroups, ['cn=ops,ou=groups', 'sre team']);
  });

  it('org mapping: group:org:role with ids, names, * and escaped colons; role defaults to Viewer', () => {
    const c = load({ ...oidc, ROSTER_OIDC_ORG_MAPPING: 'ops:2:Editor sales:Sales *:*:Viewer urn\\:group\\:x:1:Admin', ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups' }).oidc!;
    assert.deepEqual(c.orgMapping, [
      { group: 'ops', org: { kind: 'id', id: 2 }, role: 'Editor' },
      { group: 'sales', org: { kind: 'name', name: 'Sales' }, role: 'Viewer' },
      { group: '*', org: { kind: 'all' }, role: 'Viewer' },
      { group: 'urn:group:x', org: { kind: 'id', id: 1 }, role: 'Admin' },
    ]);
  });

  it('refuses what would lock people out or in silently', () => {
    refuses({ ROSTER_OIDC_ISSUER: 'idp.example.com' }, /issuer URL/);
    refuses({ ROSTER_OIDC_ISSUER: 'https://idp.example.com' }, /ROSTER_OIDC_CLIENT_ID must be set/);
    refuses({ ...oidc, ROSTER_OIDC_SCOPES: 'email profile' }, /must include openid/);
    refuses({ ...oidc, ROSTER_OIDC_ROLE_ATTRIBUTE_PATH: "contains(groups[*], 'admin' && 'Admin'" }, /not a JMESPath expression/);
    refuses({ ...oidc, ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH: 'groups[' }, /ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH is not a JMESPath/);
    refuses({ ...oidc, ROSTER_OIDC_ORG_MAPPING: 'ops' }, /group:org:role/);
    refuses({ ...oidc, ROSTER_OIDC_ORG_MAPPING: 'ops:1:GrafanaAdmin' }, /roles are Admin, Editor, Viewer or None/);
    refuses({ ...oidc, ROSTER_OIDC_ALLOW_SIGN_UP: 'maybe' }, /ROSTER_OIDC_ALLOW_SIGN_UP must be true or false/);
    refuses({ ...oidc, ROSTER_OIDC_ALLOWED_GROUPS: '["a", 1]' }, /JSON array of strings/);
    refuses({ ...oidc, ROSTER_OIDC_ALLOWED_GROUPS: 'staff' }, /ROSTER_OIDC_ALLOWED_GROUPS names groups, but ROSTER_OIDC_GROUPS_ATTRIBUTE_PATH/);
    refuses({ ...oidc, ROSTER_OIDC_ORG_MAPPING: 'ops:1:Editor' }, /ROSTER_OIDC_ORG_MAPPING names groups/);
    assert.equal(load({ ...oidc, ROSTER_OIDC_ORG_MAPPING: '*:1:Editor' }).oidc!.orgMapping.length, 1);
  });
});
