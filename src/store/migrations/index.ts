// The ordered list of migrations. Forward-only: never edit one that has shipped; add the next.
import type { Migration } from './helpers.ts';
import * as identity from './0001-identity.ts';
import * as audit from './0002-audit.ts';
import * as posthog from './0003-posthog.ts';
import * as loginAttempts from './0004-login-attempts.ts';
import * as searchIndexes from './0005-search-indexes.ts';
import * as mail from './0006-mail.ts';
import * as loginAttemptsIp from './0007-login-attempts-ip.ts';
import * as containsSearch from './0008-contains-search.ts';
import * as startIndexes from './0010-start-indexes.ts';
import * as sso from './0011-sso.ts';
import * as sessions2faReset from './0012-sessions-2fa-reset.ts';
import * as memberRuleIndexes from './0013-member-rule-indexes.ts';
import * as inviteStatusHelpFlags from './0014-invite-status-help-flags.ts';
import * as quotas from './0015-quotas.ts';
import * as accessControl from './0016-access-control.ts';
import * as scim from './0017-scim.ts';
import * as events from './0018-events.ts';
import * as serviceAccountRoles from './0019-service-account-roles.ts';
import * as eventsSeqRowid from './0020-events-seq-rowid.ts';
import * as userGrams from './0021-user-grams.ts';
import * as userTrigrams from './0022-user-trigrams.ts';

export const MIGRATIONS: Migration[] = [
  { name: '0001-identity', up: identity.up },
  { name: '0002-audit', up: audit.up },
  { name: '0003-posthog', up: posthog.up },
  { name: '0004-login-attempts', up: loginAttempts.up },
  { name: '0005-search-indexes', up: searchIndexes.up },
  { name: '0006-mail', up: mail.up },
  { name: '0007-login-attempts-ip', up: loginAttemptsIp.up },
  { name: '0008-contains-search', up: containsSearch.up },
  { name: '0010-start-indexes', up: startIndexes.up },
  { name: '0011-sso', up: sso.up },
  { name: '0012-sessions-2fa-reset', up: sessions2faReset.up },
  { name: '0013-member-rule-indexes', up: memberRuleIndexes.up },
  { name: '0014-invite-status-help-flags', up: inviteStatusHelpFlags.up },
  { name: '0015-quotas', up: quotas.up },
  { name: '0016-access-control', up: accessControl.up },
  { name: '0017-scim', up: scim.up },
  { name: '0018-events', up: events.up },
  { name: '0019-service-account-roles', up: serviceAccountRoles.up },
  { name: '0020-events-seq-rowid', up: eventsSeqRowid.up },
  { name: '0021-user-grams', up: userGrams.up },
  { name: '0022-user-trigrams', up: userTrigrams.up },
];
