// The PostHog face names orgs by uuid, which the Grafana face never shows. The console asks for
// "@current" in the org (X-Grafana-Org-Id) and checks the name: for a caller who is not a member,
// the server's current org falls back to another one, and names are unique, so a mismatch is caught.
import { api } from './api.ts';
import type { PhOrg } from './types-more.ts';

export async function posthogOrg(org: { id: number; name: string }): Promise<PhOrg> {
  const ph = await api<PhOrg>('/api/organizations/@current', { orgId: org.id });
  if (ph.name !== org.name) throw new Error('The PostHog API shows only organizations you are a member of.');
  return ph;
}
