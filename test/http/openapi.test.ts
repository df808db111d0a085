// Every route is documented: each route the Fastify app registers is an operation of
// /api/openapi.json with a summary, or one of the few routes that are deliberately not API
// operations (listed below, each checked to be what it claims).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { startRoster, type TestRoster } from '../helpers/roster.ts';
import { CONSOLE_DIR } from '../../src/http/console.ts';
import { isNumberParam } from '../../src/http/id-range.ts';

// Registered on purpose but not in the document, with why. Keep this short: a new API route
// belongs in the document, not here.
const NOT_OPERATIONS: Record<string, string> = {
  'GET /api/openapi.json': 'the document itself',
  'GET /api/docs': "the document's interactive reference (Swagger UI)",
  'GET /api/docs/*': "Swagger UI's files and its copy of the document (JSON, YAML), from its plugin loaded on first use",
};

/** The console's files: everything under /assets/, and each file beside its index.html. */
function consoleFileRoutes(): Set<string> {
  const out = new Set<string>();
  if (!existsSync(CONSOLE_DIR)) return out;
  const urls = ['/assets/*', ...readdirSync(CONSOLE_DIR, { withFileTypes: true }).flatMap((e) => (e.isFile() && e.name !== 'index.html' ? [`/${e.name}`] : []))];
  for (const url of urls) out.add(`GET ${url}`).add(`HEAD ${url}`);
  return out;
}

describe('OpenAPI document', () => {
  let t: TestRoster;
  let doc: {
    openapi: string;
    servers: { url: string }[];
    components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
    paths: Record<
      string,
      Record<string, { summary?: string; operationId?: string; tags?: string[]; security?: Record<string, string[]>[]; parameters?: { name: string; in: string; schema: { type?: string } }[] }>
    >;
  };
  before(async () => {
    t = await startRoster();
    const r = await t.request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(() => t.close());

  it('is OpenAPI 3.1 and every operation has a summary', () => {
    assert.equal(doc.openapi, '3.1.0');
    const missing: string[] = [];
    let count = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        count++;
        if (!op.summary) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(missing, []);
    assert.ok(count > 100, `documents ${count} operations`);
  });

  it('documents every registered route', async () => {
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const registered = new Set(t.roster.routes);
    assert.ok(registered.size > 150, `${registered.size} routes registered`);
    const staticFiles = consoleFileRoutes();
    const undocumented: string[] = [];
    const methodNotAllowed: string[] = [];
    for (const route of registered) {
      if (documented.has(route) || route in NOT_OPERATIONS || staticFiles.has(route)) continue;
      const [method, url] = route.split(' ');
      // Fastify's implicit HEAD of a GET route: answered by the GET's handler, documented with it.
      if (method === 'HEAD' && registered.has(`GET ${url}`)) continue;
      // The methods a path lacks (OnCall's DRF views, PostHog's): routes that only answer 405,
      // and OnCall's OPTIONS (DRF metadata). Checked below to be just that.
      if (url.startsWith('/api/v1/') || url.startsWith('/api/organizations')) methodNotAllowed.push(route);
      else undocumented.push(route);
    }
    assert.deepEqual(undocumented, []);
    assert.ok(methodNotAllowed.length > 20);

    // Real ids, so that the 405 comes from the route, not from a missing object.
    const org = (await t.request('GET', '/api/organizations/', t.admin)).body.results[0].id as string;
    const me = (await t.request('GET', '/api/users/@me/', t.admin)).body.uuid as string;
    const values: Record<string, string> = { id: org, organization_id: org, user_uuid: me };
    for (const route of methodNotAllowed) {
      const [method, pattern] = route.split(' ');
      const url = pattern.replace(/:(\w+)/g, (_, name) => values[name] ?? '00000000-0000-4000-8000-000000000000');
      const r = await t.request(method, url, { ...t.admin, body: ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined });
      if (method === 'OPTIONS') {
        assert.equal(r.status, 200, route);
        assert.deepEqual(Object.keys(r.body), ['name', 'description', 'renders', 'parses'], route);
      } else {
        assert.equal(r.status, 405, `${route}: ${r.text}`);
      }
    }
  });
  it('names the credentials: Basic, a Bearer scheme per token kind, the raw OnCall token, the session cookie', () => {
    const schemes = doc.components.securitySchemes;
    assert.deepEqual(Object.fromEntries(Object.entries(schemes).map(([name, s]) => [name, [s.type, s.scheme ?? `${s.in}:${s.name}`]])), {
      basic: ['http', 'basic'],
      serviceAccountToken: ['http', 'bearer'],
      oncallToken: ['apiKey', 'header:Authorization'],
      personalApiKey: ['http', 'bearer'],
      personalApiKeyQuery: ['apiKey', 'query:personal_api_key'],
      scimToken: ['http', 'bearer'],
      sessionCookie: ['apiKey', 'cookie:grafana_session'],
    });
    // Every operation states its security, naming only schemes that exist.
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        assert.ok(Array.isArray(op.security), `${method} ${path} states its security`);
        for (const requirement of op.security!) for (const name of Object.keys(requirement)) assert.ok(name in schemes, `${method} ${path}: ${name}`);
      }
    }
    assert.deepEqual(doc.paths['/api/org'].get.security, [{ basic: [] }, { serviceAccountToken: [] }, { sessionCookie: [] }]);
    assert.deepEqual(doc.paths['/login'].post.security, []);
    // SCIM takes its own token only.
    assert.deepEqual(doc.paths['/scim/v2/Users'].get.security, [{ scimToken: [] }]);
    // Grafana's health needs no credentials: an empty requirement comes first.
    assert.deepEqual(doc.paths['/api/health'].get.security?.[0], {});
  });

  it('gives every operation a unique operationId, Grafana operations their Grafana one', () => {
    const seen = new Map<string, string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.match(op.operationId ?? '', /^[A-Za-z][A-Za-z0-9_]*$/, where);
        assert.equal(seen.get(op.operationId!), undefined, `${where} and ${seen.get(op.operationId!)} share ${op.operationId}`);
        seen.set(op.operationId!, where);
      }
    }
    assert.equal(doc.paths['/api/org'].get.operationId, 'getCurrentOrg');
    assert.equal(doc.paths['/api/serviceaccounts/{id}/tokens/{tokenId}'].delete.operationId, 'deleteToken');
    assert.equal(doc.paths['/api/organizations/{organization_id}/members'].get.operationId, 'posthog_organizations_members_list');
    assert.equal(doc.paths['/api/v1/users/{id}'].get.operationId, 'oncall_users_retrieve');
  });

  it('types numeric ids and paging numbers as integers, and public ids and uuids as strings', () => {
    const param = (path: string, method: string, name: string) => doc.paths[path][method].parameters!.find((p) => p.name === name)!.schema.type;
    for (const [path, method, name] of [
      ['/api/orgs/{orgId}/users/{userId}', 'patch', 'orgId'],
      ['/api/orgs/{orgId}/users/{userId}', 'patch', 'userId'],
      ['/api/users/{id}', 'get', 'id'],
      ['/api/serviceaccounts/{id}/tokens/{tokenId}', 'delete', 'tokenId'],
      ['/api/orgs', 'get', 'perpage'],
      ['/api/v1/users', 'get', 'page'],
      ['/api/roster/v1/audit', 'get', 'actorUserId'],
      ['/api/roster/v1/audit', 'get', 'before'],
      ['/api/organizations', 'get', 'offset'],
    ]) {
      assert.equal(param(path, method, name), 'integer', `${method} ${path} ${name}`);
    }
    assert.equal(param('/api/orgs/name/{orgName}', 'get', 'orgName'), 'string');
    assert.equal(param('/api/v1/users/{id}', 'get', 'id'), 'string');
    assert.equal(param('/api/organizations/{id}', 'get', 'id'), 'string');
    assert.equal(param('/api/roster/v1/users/{userId}/contact', 'get', 'userId'), 'string');
    // No Grafana path id is left a string (an org's name, an invite's code, a role's uid are text: id-range.ts).
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.tags?.[0]?.startsWith('grafana:')) continue;
        for (const p of op.parameters ?? []) if (p.in === 'path' && isNumberParam(p.name)) assert.equal(p.schema.type, 'integer', `${method} ${path} ${p.name}`);
      }
    }
  });

  it('names its server: ROSTER_PUBLIC_URL when set, else relative', async () => {
    assert.deepEqual(doc.servers, [{ url: t.config.publicUrl }]);
    const unset = await startRoster({ ROSTER_PUBLIC_URL: undefined as unknown as string });
    try {
      assert.deepEqual((await unset.request('GET', '/api/openapi.json')).body.servers, [{ url: '/' }]);
    } finally {
      await unset.close();
    }
  });
});
