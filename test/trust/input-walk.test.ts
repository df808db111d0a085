// Walks every operation of /api/openapi.json, and every other registered /api route, with hostile
// input (NUL and control characters in path ids and query strings, integers past the database's
// range, overlong strings in every body field, 5,000-deep JSON, form-encoded and multipart
// bodies), as the server admin and without credentials: never a 5xx, and the store is exactly as
// it was.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRoster, authHeaders, type Creds, type TestRoster } from '../helpers/roster.ts';
import { dumpTables } from '../helpers/dump.ts';
import { makeToken } from '../oncall/fixtures.ts';
import { createHash } from 'node:crypto';

/** The dump's digest: a failure message that quotes two whole dumps is unreadable. */
const digest = async (t: TestRoster) =>
  createHash('sha256')
    .update(await dumpTables(t.roster.ctx.db))
    .digest('hex');

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  body?: { properties?: Record<string, any> };
}

const HOSTILE_IDS = ['%00', '1%00', 'a%01b', '2147483648', '-2147483649', '9223372036854775808', '-1', '1e309', '99999999999999999999999'];
const HOSTILE_QUERY = ['%00', 'x%00y', '%1B%5B31m', '2147483648', '9223372036854775808', '-1', '1e309', '%C0%AF'];
const HOSTILE_TEXT = ['%00', 'x%00y', '%1B%5B31m', 'a%0Ab'];
const LONG = 'x'.repeat(70_000);
const PAST_FIELDS = 'y'.repeat(3_000);
const DEEP = '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000);
const DEEP_ARRAY = '['.repeat(5_000) + ']'.repeat(5_000);
const BOUNDARY = 'rosterboundary';
const MULTIPART = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`;
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * An operation's path with every parameter set to a value that names nothing (and is well
 * formed). A help flag is a value the route ORs into the caller's mask, not an id: 0 adds no bit.
 */
function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? (name === 'flagId' ? '0' : '999999'));
}

/** A body whose every string property is past any field's limit (`LONG`: past the edge's cap too). */
function overlong(op: Operation, text: string): string {
  const props = Object.keys(op.body?.properties ?? { name: {} });
  return JSON.stringify(Object.fromEntries(props.map((p) => [p, text])));
}

describe('every route with hostile input', () => {
  let t: TestRoster;
  const ops: Operation[] = [];
  let oncall: Creds;
  const failures: string[] = [];
  // Hostile bodies a route took (2xx): each one may have changed the store, and is named when it did.
  const accepted: string[] = [];
  let count = 0;
  let last = '';

  before(async () => {
    t = await startRoster();
    oncall = { raw: await makeToken(t, 1, 'Admin', 'walker') };
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    for (const [path, methods] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(methods)) {
        const params = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        const query = (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
        const body = op.requestBody?.content?.['application/json']?.schema;
        ops.push({ method: method.toUpperCase(), path, params, query, body });
      }
    }
    // Routes registered but not documented (the 405 answers of DRF-style paths, OnCall's
    // OPTIONS, the document itself): walked too, with their path parameters.
    const documented = new Set(ops.map((o) => `${o.method} ${o.path}`));
    for (const route of t.roster.routes) {
      const [method, url] = route.split(' ');
      const path = url.replace(/:(\w+)/g, '{$1}');
      if (method === 'HEAD' || documented.has(`${method} ${path}`) || !url.startsWith('/api/')) continue;
      documented.add(`${method} ${path}`);
      ops.push({ method, path, params: [...url.matchAll(/:(\w+)/g)].map((m) => m[1]), query: [] });
    }
    assert.ok(ops.length > 150, `${ops.length} operations`);
  });
  after(() => t.close());

  const send = async (method: string, url: string, creds: Creds | undefined, payload?: string, contentType = 'application/json') => {
    count++;
    const who = url.startsWith('/api/v1/') ? oncall : creds;
    const headers = who ? authHeaders(who) : {};
    if (payload !== undefined) headers['content-type'] = contentType;
    const res = await t.roster.app.inject({ method: method as any, url, headers, payload });
    if (res.statusCode < 300 && payload !== undefined && payload !== '{}')
      accepted.push(`${who ? 'admin' : 'anon'} ${method} ${url.slice(0, 100)} ${contentType} ${String(payload).slice(0, 30)} -> ${res.statusCode}`);
    // WALK_DEBUG=1 names each request after which the store differs (slow: a dump per request).
    if (process.env.WALK_DEBUG) {
      const now = await digest(t);
      if (now !== last) console.log('CHANGED', method, url.slice(0, 120), String(payload ?? '').slice(0, 40), res.statusCode, res.body.slice(0, 100));
      last = now;
    }
    if (res.statusCode >= 500)
      failures.push(`${who ? 'admin' : 'anon'} ${method} ${url.slice(0, 100)} ${contentType} ${String(payload ?? '').slice(0, 30)} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
    return res.statusCode;
  };

  for (const as of ['admin', 'anonymous'] as const) {
    it(`as ${as}: no 5xx, nothing changes`, async (ctx) => {
      const creds = as === 'admin' ? t.admin : undefined;
      count = 0;
      failures.length = 0;
      accepted.length = 0;
      const before = await digest(t);
      for (const op of ops) {
        const body = WRITE.has(op.method) && op.method !== 'DELETE' ? '{}' : undefined;
        // The org a caller picks is read while authenticating, before the body is parsed (and
        // user-level writes such as preferences do not depend on it): on a write, a body that
        // cannot be parsed keeps a caller's valid write from happening after that read.
        const unparsable = WRITE.has(op.method) ? '{' : undefined;
        // Each path parameter hostile in turn, the others naming nothing.
        for (const param of op.params) {
          for (const bad of HOSTILE_IDS) await send(op.method, fill(op.path, { [param]: bad }), creds, body);
        }
        // Each query parameter hostile in turn, on a path that names nothing.
        const base = fill(op.path, {});
        // On a write, a number in a parameter the route ignores is harmless (and the write
        // proceeds): there only text no field may hold, and an org nobody can act in.
        for (const q of [...op.query, 'query', 'targetOrgId']) {
          const values = WRITE.has(op.method) && q !== 'targetOrgId' ? HOSTILE_TEXT : HOSTILE_QUERY;
          for (const bad of values) await send(op.method, `${base}?${q}=${bad}`, creds, q === 'targetOrgId' ? unparsable : body);
        }
        // Every number at its largest at once (a page size times a page number overflowed).
        if (!WRITE.has(op.method) && op.query.length) {
          await send(op.method, `${base}?${op.query.map((q) => `${q}=9007199254740991`).join('&')}`, creds, body);
        }
        // Headers Roster reads.
        for (const bad of ['2147483648', '9223372036854775808', '-1', '1e309', '1\u0000']) {
          count++;
          const headers: Record<string, string> = { ...(creds ? authHeaders(op.path.startsWith('/api/v1/') ? oncall : creds) : {}), 'x-grafana-org-id': bad };
          if (unparsable) headers['content-type'] = 'application/json';
          const res = await t.roster.app.inject({ method: op.method as any, url: base, headers, payload: unparsable });
          if (res.statusCode >= 500) failures.push(`${as} ${op.method} ${base} X-Grafana-Org-Id ${JSON.stringify(bad)} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
        if (!WRITE.has(op.method)) continue;
        for (const payload of [overlong(op, LONG), overlong(op, PAST_FIELDS), DEEP, DEEP_ARRAY]) await send(op.method, base, creds, payload);
        await send(op.method, base, creds, 'name=x&login=y', 'application/x-www-form-urlencoded');
        await send(op.method, base, creds, MULTIPART, `multipart/form-data; boundary=${BOUNDARY}`);
        await send(op.method, base, creds, 'name=x', 'text/plain');
      }
      assert.equal(await digest(t), before, `nothing changed; hostile bodies accepted: ${accepted.join('\n')}`);
      assert.deepEqual(failures, []);
      ctx.diagnostic(`${count} requests over ${ops.length} operations`);
    });
  }
});
