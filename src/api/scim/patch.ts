// PATCH (RFC 7644 §3.5.2) as Okta and Entra ID send it, applied by `scim-patch` to the resource
// as stored; the result is then stored like a PUT. Entra's habits are normalized first: "Replace"
// and friends in any case, "True"/"False" for booleans, and a path-less replace whose value
// names attributes by path ("name.givenName") is split into one operation per attribute.
import { PATCH_OPERATION_SCHEMA, scimPatch, ScimError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { badRequest, type ScimType } from './errors.ts';
import { scimBoolean, type Resource } from './resources.ts';

const SCIM_TYPES = new Set<string>(['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax', 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers', 'sensitive']);
const READ_ONLY = new Set(['id', 'meta', 'schemas']);

/** `attributes`: the resource's attribute names; `schema`: its core schema URN, which a path may start with. */
export function patchResource(resource: Resource, body: unknown, attributes: string[], schema: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalidSyntax', 'The body must be a PatchOp message');
  const msg = body as Record<string, unknown>;
  if (!Array.isArray(msg.schemas) || !msg.schemas.includes(PATCH_OPERATION_SCHEMA)) throw badRequest('invalidSyntax', `schemas must include ${PATCH_OPERATION_SCHEMA}`);
  const raw = msg.Operations ?? msg.operations;
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('invalidSyntax', 'Operations must be a non-empty array');
  const canonical = new Map(attributes.map((a) => [a.toLowerCase(), a]));
  const ops = raw.flatMap((op) => normalize(op, canonical, schema));
  try {
    return scimPatch(structuredClone(resource) as unknown as ScimResource, ops, { mutateDocument: true, treatMissingAsAdd: true }) as unknown as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ScimError) {
      const type = err.scimCode && SCIM_TYPES.has(err.scimCode) ? (err.scimCode as ScimType) : 'invalidSyntax';
      throw badRequest(type, err.message || 'Invalid PATCH operation');
    }
    // The library follows a path it cannot resolve into a TypeError.
    throw badRequest('invalidPath', 'The path names nothing this resource has');
  }
}

function normalize(raw: unknown, canonical: Map<string, string>, schema: string): ScimPatchOperation[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw badRequest('invalidSyntax', 'Each operation must be an object');
  const o = raw as Record<string, unknown>;
  const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
  if (op !== 'add' && op !== 'replace' && op !== 'remove') throw badRequest('invalidSyntax', `Unknown op "${String(o.op)}"`);
  if (o.path !== undefined && typeof o.path !== 'string') throw badRequest('invalidPath', 'path must be a string');
  if (o.path === undefined || o.path === '') {
    if (op === 'remove') throw badRequest('noTarget', 'A remove operation needs a path');
    if (typeof o.value !== 'object' || o.value === null || Array.isArray(o.value)) throw badRequest('invalidSyntax', 'An operation without a path needs an object value');
    return Object.entries(o.value).flatMap(([path, value]) => normalize({ op, path, value }, canonical, schema));
  }
  const path = canonicalPath(o.path, canonical, schema);
  const attr = topAttribute(path);
  const value = attr === 'active' && o.value !== undefined ? scimBoolean(o.value, 'active') : o.value;
  if (op === 'remove') {
    // Entra ID removes members by value ({"path": "members", "value": [{"value": id}]}): one
    // removal per member, by filter, so what else the member entry says does not have to match.
    if (Array.isArray(value) && !path.includes('[') && value.every((v) => typeof v?.value === 'string')) {
      return value.map((v) => ({ op, path: `${path}[value eq ${JSON.stringify(v.value)}]` }));
    }
    return [{ op, path, ...(value !== undefined ? { value } : {}) }];
  }
  if (value === undefined) throw badRequest('invalidSyntax', `A ${op} operation needs a value`);
  return [{ op, path, value }];
}

const topAttribute = (path: string) => path.split(/[.[]/, 1)[0]!;

/** The path with the core schema's URN dropped and its first attribute spelled as the resource spells it. */
function canonicalPath(path: string, canonical: Map<string, string>, schema: string): string {
  let p = path.trim();
  if (p.toLowerCase().startsWith(`${schema.toLowerCase()}:`)) p = p.slice(schema.length + 1);
  // An extension's attributes: the URN is the attribute.
  const urn = [...canonical.values()].find((a) => a.startsWith('urn:') && p.toLowerCase().startsWith(a.toLowerCase()));
  if (urn) return urn + p.slice(urn.length);
  const top = topAttribute(p);
  const name = canonical.get(top.toLowerCase());
  if (!name) throw badRequest('invalidPath', `Unknown attribute "${top}"`);
  if (READ_ONLY.has(name)) throw badRequest('mutability', `${name} cannot be changed`);
  return name + p.slice(top.length);
}
