// Checks real responses against /api/openapi.json: the request's path template, method and the
// status it got must be documented, and the body must validate against the documented schema.
import assert from 'node:assert/strict';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Creds, Reply, TestRoster } from './roster.ts';

type Json = Record<string, any>;

export interface Call extends Creds {
  /** Values of the template's {params}. */
  params?: Record<string, string | number>;
  query?: string;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

export class Conformance {
  private ajv = new Ajv({ strict: false, allErrors: true });
  private validators = new Map<string, ValidateFunction>();
  /** `METHOD /template` of every operation exercised, with the statuses seen. */
  readonly covered = new Map<string, Set<number>>();

  constructor(
    private t: TestRoster,
    readonly doc: Json,
  ) {
    addFormats.default(this.ajv);
  }

  static async load(t: TestRoster): Promise<Conformance> {
    const r = await t.request('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    return new Conformance(t, r.body);
  }

  /** Sends the request, asserts the expected status, and checks the reply against the document. */
  async call(method: string, template: string, status: number, call: Call = {}): Promise<Reply> {
    const path = template.replace(/\{(\w+)\}/g, (_, name) => {
      const value = call.params?.[name];
      assert.ok(value !== undefined, `no value for {${name}} in ${template}`);
      return encodeURIComponent(String(value));
    });
    const url = call.query ? `${path}?${call.query}` : path;
    const reply = await this.t.request(method, url, call);
    // The document's paths have no trailing slash; OnCall and PostHog clients send one.
    const documented = template.length > 1 ? template.replace(/\/$/, '') : template;
    const where = `${method} ${documented} -> ${reply.status}`;
    assert.equal(reply.status, status, `${method} ${url}: ${reply.text}`);
    this.check(method, documented, reply, where);
    const key = `${method} ${documented}`;
    if (!this.covered.has(key)) this.covered.set(key, new Set());
    this.covered.get(key)!.add(reply.status);
    return reply;
  }

  private check(method: string, template: string, reply: Reply, where: string) {
    const op = this.doc.paths[template]?.[method.toLowerCase()];
    assert.ok(op, `${where}: the operation is not in the OpenAPI document`);
    const documented = op.responses?.[String(reply.status)];
    assert.ok(documented, `${where}: status not documented (documented: ${Object.keys(op.responses ?? {}).join(', ')})`);
    // SCIM answers application/scim+json (RFC 7644 §3.1), JSON under its own media type.
    const type = String(reply.headers['content-type'] ?? '').replace(/^application\/scim\+json/, 'application/json');
    const schema = documented.content?.['application/json']?.schema;
    if (reply.text === '') {
      // An empty body (204, a redirect) must be documented as having none.
      if (schema) assert.ok(this.validator(schema)(null), `${where}: empty body, but the document describes one`);
      return;
    }
    if (!type.startsWith('application/json')) {
      assert.equal(schema, undefined, `${where}: sent ${type}, but the document describes JSON`);
      return;
    }
    assert.ok(schema, `${where}: sent JSON, but the document describes no body`);
    const validate = this.validator(schema);
    assert.ok(validate(reply.body), `${where}: body does not match its schema: ${this.ajv.errorsText(validate.errors)}\n${reply.text.slice(0, 600)}`);
  }

  private validator(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let v = this.validators.get(key);
    if (!v) this.validators.set(key, (v = this.ajv.compile(schema)));
    return v;
  }

  /** Documented operations (`METHOD /template`) never exercised. */
  uncovered(filter: (method: string) => boolean = () => true): string[] {
    const out: string[] = [];
    for (const [path, ops] of Object.entries<Json>(this.doc.paths)) {
      for (const method of Object.keys(ops)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (filter(method.toUpperCase()) && !this.covered.has(key)) out.push(key);
      }
    }
    return out;
  }
}
