// The load scenarios. Add one by appending an entry: `path` (GET, or a wrk Lua `script`),
// credentials from the seeded fixtures `s` (see bench/seed.ts), and `face` for the report.
// A scenario whose route answers 404 (a face not built on this branch), or whose probe (`path`)
// finds nothing by its `found(body)`, is skipped with a note.
const basic = (login, password) => 'Basic ' + Buffer.from(`${login}:${password}`).toString('base64');

export const ADMIN_PASSWORD = 'bench-admin';

/** A 3-5 character piece of a seeded value, for a probe (bench/wrk/rotating.lua draws its own). */
const piece = (value) => value.slice(1, 5);

/**
 * A different request every time (bench/wrk/rotating.lua): `template`'s "{}" filled with a value
 * from `file` (`mode` "fragment": a random 3-5 character piece of it), so no memo answers it.
 */
const rotating = (template, file, mode) => ({ script: 'rotating.lua', scriptArgs: () => [template, file, mode] });

/**
 * @param s seeded fixtures: { saToken, personalKey, basic: [login, password], orgId, orgUuid, writePoolFirstId,
 *   samples: { logins, emails, orgIds }, sampleFiles: the same, one file each, ... }
 */
export function scenarios(s) {
  const token = { authorization: `Bearer ${s.saToken}` };
  const admin = { authorization: basic('admin', ADMIN_PASSWORD) };
  return [
    { name: 'token GET /api/org', face: 'grafana', path: '/api/org', headers: token },
    { name: 'Basic GET /api/org', face: 'grafana', path: '/api/org', headers: { authorization: basic(...s.basic) } },
    { name: 'GET /api/orgs?query=', face: 'grafana', path: '/api/orgs?query=', headers: admin },
    { name: 'GET /api/users/search', face: 'grafana', path: '/api/users/search', headers: admin },
    {
      name: 'GET /api/users/search paging loop (100 per page)',
      face: 'grafana',
      path: '/api/users/search?perpage=100&page=1',
      headers: admin,
      script: 'user-pages.lua',
      scriptArgs: (_run, threads, _pool, connections) => [String(Math.max(1, Math.ceil(s.users / 100))), '100', String(Math.ceil(connections / threads)), String(connections)],
    },
    { name: 'GET /api/org/users (1,000 members)', face: 'grafana', path: '/api/org/users', headers: token },
    // OnCall takes the token without a scheme.
    { name: 'OnCall GET /api/v1/users/', face: 'oncall', path: '/api/v1/users/', headers: { authorization: s.saToken } },
    { name: 'OnCall GET /api/v1/users/?username=', face: 'oncall', path: `/api/v1/users/?username=${s.basic[0]}`, headers: { authorization: s.saToken } },
    { name: 'PostHog GET /api/organizations/', face: 'posthog', path: '/api/organizations/', headers: { authorization: `Bearer ${s.personalKey}` } },
    {
      name: 'PostHog GET /api/organizations/:id/members/',
      face: 'posthog',
      path: `/api/organizations/${s.orgUuid}/members/`,
      headers: { authorization: `Bearer ${s.personalKey}` },
    },
    // Rotating requests: every one asks something else, so they measure the database path even
    // with the memo on (compare with `--memo off` runs of the scenarios above).
    {
      name: 'rotating GET /api/users/search?query=<3-5 chars of a login>&perpage=50',
      face: 'grafana',
      path: `/api/users/search?query=${piece(s.samples.logins[0])}&perpage=50`,
      headers: admin,
      found: (body) => body.users.length > 0,
      ...rotating('/api/users/search?query={}&perpage=50', s.sampleFiles.logins, 'fragment'),
    },
    {
      name: 'rotating GET /api/orgs/:id/users (random org)',
      face: 'grafana',
      path: `/api/orgs/${s.samples.orgIds[0]}/users`,
      headers: admin,
      found: (body) => body.length > 0,
      ...rotating('/api/orgs/{}/users', s.sampleFiles.orgIds, 'whole'),
    },
    {
      name: 'rotating OnCall GET /api/v1/users/?email=<member email>',
      face: 'oncall',
      path: `/api/v1/users/?email=${encodeURIComponent(s.samples.emails[0])}`,
      headers: { authorization: s.saToken },
      found: (body) => body.results.length > 0,
      ...rotating('/api/v1/users/?email={}', s.sampleFiles.emails, 'whole'),
    },
    {
      name: 'rotating PostHog GET /api/organizations/:id/members/?search=<3-5 chars of an email>',
      face: 'posthog',
      path: `/api/organizations/${s.orgUuid}/members/?search=${piece(s.samples.emails[0])}`,
      headers: { authorization: `Bearer ${s.personalKey}` },
      found: (body) => body.results.length > 0,
      ...rotating(`/api/organizations/${s.orgUuid}/members/?search={}`, s.sampleFiles.emails, 'fragment'),
    },
    // Add member, change role, remove (see bench/wrk/write-mix.lua); each run gets its own users.
    {
      name: 'write mix (add, role, remove)',
      face: 'grafana',
      path: '/api/org',
      headers: token,
      script: 'write-mix.lua',
      scriptArgs: (run, threads, poolPerThread) => [s.saToken, String(s.writePoolFirstId + run * threads * poolPerThread), String(poolPerThread)],
    },
  ];
}
