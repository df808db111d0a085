// Roster's users and teams as SCIM resources (RFC 7643 §4), and SCIM bodies back into what the
// domain is asked for. Roster keeps one name and one email per user: `displayName`,
// `name.formatted` and `name.givenName`/`familyName` all map to the name; the primary email (else
// the first) to the email.
import { createHash } from 'node:crypto';
import type { DesiredGroup, ProvisionedGroup } from '../../domain/scim-groups.ts';
import type { DesiredUser, ProvisionedUser } from '../../domain/scim-users.ts';
import { badRequest } from './errors.ts';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export type Resource = Record<string, unknown> & { schemas: string[]; id: string; meta: Record<string, unknown> };

/** Every attribute of the core User schema and the enterprise extension: others are refused. */
export const USER_ATTRIBUTES = [
  'schemas',
  'id',
  'externalId',
  'meta',
  'userName',
  'name',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'password',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
  ENTERPRISE_USER_SCHEMA,
];
export const GROUP_ATTRIBUTES = ['schemas', 'id', 'externalId', 'meta', 'displayName', 'members'];

/** meta.version: a weak ETag of everything the resource says but its meta. */
export function versionOf(resource: Record<string, unknown>): string {
  const { meta: _meta, ...rest } = resource;
  return `W/"${createHash('sha256').update(JSON.stringify(rest)).digest('base64url').slice(0, 22)}"`;
}

function withMeta(body: Record<string, unknown>, meta: Record<string, unknown>): Resource {
  const resource = { ...body, meta } as Resource;
  resource.meta.version = versionOf(resource);
  return resource;
}

export function userResource(u: ProvisionedUser, base: string): Resource {
  const space = u.name.indexOf(' ');
  const name = u.name ? { formatted: u.name, givenName: space < 0 ? u.name : u.name.slice(0, space), ...(space < 0 ? {} : { familyName: u.name.slice(space + 1) }) } : {};
  return withMeta(
    {
      schemas: [USER_SCHEMA],
      id: u.uuid,
      ...(u.externalId !== null ? { externalId: u.externalId } : {}),
      userName: u.login,
      name,
      displayName: u.name,
      emails: u.email ? [{ value: u.email, type: 'work', primary: true }] : [],
      active: u.active,
    },
    { resourceType: 'User', created: u.createdAt, lastModified: u.updatedAt, location: `${base}/Users/${u.uuid}` },
  );
}

export function groupResource(g: ProvisionedGroup, base: string): Resource {
  return withMeta(
    {
      schemas: [GROUP_SCHEMA],
      id: g.uid,
      ...(g.externalId !== null ? { externalId: g.externalId } : {}),
      displayName: g.name,
      members: g.members.map((m) => ({ value: m.uuid, display: m.login, type: 'User', $ref: `${base}/Users/${m.uuid}` })),
    },
    { resourceType: 'Group', created: g.createdAt, lastModified: g.updatedAt, location: `${base}/Groups/${g.uid}` },
  );
}

/** The body's attributes by their canonical name (SCIM attribute names are case-insensitive); an unknown one is refused. */
function attributesOf(body: unknown, known: string[]): Map<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalidSyntax', 'The body must be a JSON object');
  const canonical = new Map(known.map((k) => [k.toLowerCase(), k]));
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(body)) {
    const name = canonical.get(key.toLowerCase());
    if (!name) throw badRequest('invalidSyntax', `Unknown attribute "${key}"`);
    out.set(name, value);
  }
  return out;
}

const text = (value: unknown, attr: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest('invalidValue', `${attr} must be a string`);
  return value;
};

/** A SCIM boolean; Entra ID sends "True" and "False" as strings. */
export function scimBoolean(value: unknown, attr: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw badRequest('invalidValue', `${attr} must be a boolean`);
}

function nameParts(value: unknown): { formatted?: string; joined?: string } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('invalidValue', 'name must be an object');
  const n = value as Record<string, unknown>;
  const parts = ['givenName', 'middleName', 'familyName'].map((k) => text(n[k], `name.${k}`)).filter((s): s is string => !!s);
  return { formatted: text(n.formatted, 'name.formatted'), joined: parts.length ? parts.join(' ') : undefined };
}

function primaryEmail(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (!Array.isArray(value)) throw badRequest('invalidValue', 'emails must be an array');
  const emails = value.map((e) => {
    if (typeof e !== 'object' || e === null) throw badRequest('invalidValue', 'each email must be an object');
    return e as Record<string, unknown>;
  });
  const chosen = emails.find((e) => e.primary === true || (typeof e.primary === 'string' && e.primary.toLowerCase() === 'true')) ?? emails[0];
  return text(chosen?.value, 'emails.value') ?? '';
}

/**
 * The user a body describes. `current` (PUT and PATCH): the name is the one of displayName,
 * name.formatted and the name's parts that changed from what the user had, so a PATCH of
 * name.givenName alone is not undone by the unchanged displayName.
 */
export function desiredUser(body: unknown, current?: Resource): DesiredUser {
  const a = attributesOf(body, USER_ATTRIBUTES);
  const login = text(a.get('userName'), 'userName');
  if (!login) throw badRequest('invalidValue', 'userName is required');
  const displayName = text(a.get('displayName'), 'displayName');
  const { formatted, joined } = nameParts(a.get('name'));
  const was = current ? nameParts(current.name) : {};
  const candidates: [string | undefined, string | undefined][] = [
    [displayName, current ? (current.displayName as string) : undefined],
    [formatted, was.formatted],
    [joined, was.joined],
  ];
  const changed = candidates.find(([now, before]) => now !== undefined && now !== before);
  const name = changed?.[0] ?? displayName ?? formatted ?? joined ?? '';
  const active = a.has('active') && a.get('active') !== null ? scimBoolean(a.get('active'), 'active') : true;
  return { login, email: primaryEmail(a.get('emails')), name, externalId: text(a.get('externalId'), 'externalId') ?? null, active };
}

export function desiredGroup(body: unknown): DesiredGroup {
  const a = attributesOf(body, GROUP_ATTRIBUTES);
  const name = text(a.get('displayName'), 'displayName');
  if (!name) throw badRequest('invalidValue', 'displayName is required');
  const members = a.get('members') ?? [];
  if (!Array.isArray(members)) throw badRequest('invalidValue', 'members must be an array');
  return {
    name,
    externalId: text(a.get('externalId'), 'externalId') ?? null,
    members: members.map((m) => {
      const value = typeof m === 'object' && m !== null ? (m as Record<string, unknown>).value : undefined;
      if (typeof value !== 'string') throw badRequest('invalidValue', 'each member needs a string value (the user id)');
      return value;
    }),
  };
}
