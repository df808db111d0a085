// The longest value each stored text field takes, in characters (code points, as the products'
// varchar and DRF's max_length count them). Taken from the product whose API writes the field;
// where several faces write one column, the stricter limit holds for all of them (an email is
// Grafana's 190, not PostHog's 254), except the organization name: Grafana clients name orgs up
// to 190 characters, and the PostHog face keeps PostHog's own 64 on its writes. The table with
// sources is docs/input-limits.md (fields bounded by their format instead, such as E.164 phone
// numbers, are listed there too).
import { invalid } from './errors.ts';
import { textFault } from './text.ts';

export const LIMITS = {
  'user.login': 190, // Grafana user.login VARCHAR(190)
  'user.email': 190, // Grafana user.email VARCHAR(190) (stricter than PostHog's 254)
  'user.name': 255, // Grafana user.name VARCHAR(255)
  'user.theme': 20, // Grafana preferences.theme VARCHAR(20)
  'user.password': 255, // Roster's own bound on what is hashed
  'org.name': 190, // Grafana org.name VARCHAR(190)
  'org.address1': 255, // Grafana org.address1 VARCHAR(255)
  'org.address2': 255,
  'org.city': 255,
  'org.state': 255,
  'org.zipCode': 50, // Grafana org.zip_code VARCHAR(50)
  'org.country': 255,
  'team.name': 190, // Grafana team.name VARCHAR(190)
  'team.email': 190, // Grafana team.email VARCHAR(190)
  'team.group': 190, // Grafana team_group.group_id VARCHAR(190)
  'serviceAccount.name': 190, // Grafana service account name (user.login-bound) 190
  'token.name': 190, // Grafana api_key.name VARCHAR(190)
  'prefs.theme': 20, // Grafana preferences.theme VARCHAR(20)
  'prefs.timezone': 50, // Grafana preferences.timezone VARCHAR(50)
  'prefs.weekStart': 10, // Grafana preferences.week_start VARCHAR(10)
  'prefs.homeDashboardUID': 40, // Grafana dashboard.uid VARCHAR(40)
  'prefs.text': 190, // other preference strings (language, locale, ...): Roster's own bound
  'prefs.json': 65535, // Grafana preferences.json_data TEXT (MySQL: 65,535 bytes), as stored JSON
  'invite.firstName': 30, // PostHog OrganizationInvite.first_name max_length=30
  'invite.message': 2000, // PostHog's message is an unbounded TextField: Roster's own bound
  'key.label': 40, // PostHog PersonalAPIKey.label max_length=40
  'integration.integrationId': 255, // PostHog's integration_id is a TextField: Roster's own bound
  'integration.config': 65535, // PostHog's config is a JSONField: Roster's own bound, as stored JSON
  'role.name': 190, // Grafana role.name VARCHAR(190)
  'role.displayName': 190, // Grafana role.display_name VARCHAR(190)
  'role.group': 190, // Grafana role.group_name VARCHAR(190)
  'role.description': 4096, // Grafana role.description TEXT: Roster's own bound
} as const;

export type LimitedField = keyof typeof LIMITS;

/** Characters as the products count them: a character outside the BMP is one, not two. */
export const charLength = (s: string) => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
};

/** Fields that hold several lines of text (or JSON, whose strings may). */
const MULTILINE: ReadonlySet<LimitedField> = new Set(['invite.message', 'integration.config']);

/** Secrets are only hashed, never stored or shown: any characters, only their number is bounded. */
const SECRET: ReadonlySet<LimitedField> = new Set(['user.password']);

/**
 * Refuses `value` when it is not text Roster stores (domain/text.ts) or longer than `field`
 * takes; `attr` names the request field. The edge has checked a request's text already: this is
 * for what reaches the domain otherwise (the CLI, an import file).
 */
export function limitLength<T extends string | null | undefined>(field: LimitedField, value: T, attr = field.split('.')[1]): T {
  const fault = typeof value === 'string' && !SECRET.has(field) ? textFault(value, MULTILINE.has(field)) : undefined;
  if (fault) throw invalid('input.invalid', `${attr} ${fault}`, { field: attr, attr });
  if (typeof value === 'string' && charLength(value) > LIMITS[field]) {
    throw invalid('input.too-long', `${attr} is too long (at most ${LIMITS[field]} characters)`, { field: attr, attr, max: LIMITS[field] });
  }
  return value;
}
