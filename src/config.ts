// Typed configuration from environment variables and CLI flags, validated once at start.
import { isIP } from 'node:net';
import { isRole, type Role } from './role-names.ts';
import { ConfigError, parseBool } from './config-parse.ts';
import { OIDC_SETTINGS, oidcSettings, type OidcConfig } from './config-oidc.ts';
import { QUOTA_SETTINGS, quotaSettings, type QuotaDefaults } from './config-quotas.ts';

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string | undefined;
  allowOrgCreate: boolean;
  autoAssignOrgRole: Role;
  publicUrl: string;
  logLevel: string;
  /** Requests per minute per credential; 0 disables the limit. */
  rateLimit: number;
  /** Shares rate-limit counters across processes; unset: counted in this process only. */
  redisUrl: string | undefined;
  /** PostgreSQL connections per process (each process, and each cluster worker, has its own pool). */
  dbPoolSize: number;
  /** PostgreSQL: named prepared statements (off for a transaction-mode pooler such as PgBouncer). */
  dbPreparedStatements: boolean;
  /** PostgreSQL: how long opening a connection may take before the request answers 503 (ms). */
  dbConnectTimeout: number;
  /** Outgoing mail (mail/transport.ts); unset: no mail, so self-service email changes are refused. */
  smtpUrl: string | undefined;
  /** The From header of every mail Roster sends. */
  smtpFrom: string | undefined;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (IPs or CIDRs); empty: none. */
  trustedProxies: string[];
  /** Fewest characters a newly set password may have. */
  passwordMinLength: number;
  /** False (ROSTER_MEMO=off): no read, listing or response memo; the credential memo stays (http/memo/memos.ts). */
  memo: boolean;
  /** Single sign-on with one OpenID provider (config-oidc.ts); unset when ROSTER_OIDC_ISSUER is not set. */
  oidc: OidcConfig | undefined;
  /** A session ends after this long without a request (ms). */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however active (ms). */
  sessionMaxMs: number;
  /** A session's token is replaced this often (ms). */
  sessionRotationMs: number;
  /** ROSTER_USER_INVITE_MAX_LIFETIME: how long a Grafana-face invite lasts (Grafana's user_invite_max_lifetime_duration, 24h). */
  userInviteLifetimeMs: number;
  /** Encrypts TOTP secrets (domain/secret-box.ts); unset: a key generated into the database. */
  secretKey: string | undefined;
  /** Default quota limits (config-quotas.ts); -1 is unlimited. */
  quotas: QuotaDefaults;
  /** How long change events stay in the feed (ms); older ones are pruned (docs/events.md). */
  eventsRetentionMs: number;
  /** Webhooks may post to private, loopback and link-local addresses (domain/webhook-url.ts). */
  webhookAllowPrivate: boolean;
}

/** Names of the settings, as environment variables and as CLI flags. */
export const SETTINGS = {
  databaseUrl: { env: 'ROSTER_DATABASE_URL', flag: 'database-url', default: 'sqlite:data/roster.db' },
  host: { env: 'ROSTER_HOST', flag: 'host', default: '0.0.0.0' },
  port: { env: 'ROSTER_PORT', flag: 'port', default: '3000' },
  adminUser: { env: 'ROSTER_ADMIN_USER', flag: 'admin-user', default: 'admin' },
  adminPassword: { env: 'ROSTER_ADMIN_PASSWORD', flag: 'admin-password', default: undefined },
  allowOrgCreate: { env: 'ROSTER_ALLOW_ORG_CREATE', flag: 'allow-org-create', default: 'false' },
  autoAssignOrgRole: { env: 'ROSTER_AUTO_ASSIGN_ORG_ROLE', flag: 'auto-assign-org-role', default: 'Viewer' },
  publicUrl: { env: 'ROSTER_PUBLIC_URL', flag: 'public-url', default: 'http://localhost:3000' },
  logLevel: { env: 'ROSTER_LOG_LEVEL', flag: 'log-level', default: 'warn' },
  rateLimit: { env: 'ROSTER_RATE_LIMIT', flag: 'rate-limit', default: '600' },
  redisUrl: { env: 'ROSTER_REDIS_URL', flag: 'redis-url', default: undefined },
  dbPoolSize: { env: 'ROSTER_DB_POOL_SIZE', flag: 'db-pool-size', default: '10' },
  dbPreparedStatements: { env: 'ROSTER_DB_PREPARED_STATEMENTS', flag: 'db-prepared-statements', default: 'true' },
  dbConnectTimeout: { env: 'ROSTER_DB_CONNECT_TIMEOUT', flag: 'db-connect-timeout', default: '5000' },
  smtpUrl: { env: 'ROSTER_SMTP_URL', flag: 'smtp-url', default: undefined },
  smtpFrom: { env: 'ROSTER_SMTP_FROM', flag: 'smtp-from', default: undefined },
  trustedProxies: { env: 'ROSTER_TRUSTED_PROXIES', flag: 'trusted-proxies', default: '' },
  passwordMinLength: { env: 'ROSTER_PASSWORD_MIN_LENGTH', flag: 'password-min-length', default: '8' },
  memo: { env: 'ROSTER_MEMO', flag: 'memo', default: 'on' },
  ...OIDC_SETTINGS,
  sessionIdleLifetime: { env: 'ROSTER_SESSION_IDLE_LIFETIME', flag: 'session-idle-lifetime', default: '7d' },
  sessionMaxLifetime: { env: 'ROSTER_SESSION_MAX_LIFETIME', flag: 'session-max-lifetime', default: '30d' },
  sessionRotationInterval: { env: 'ROSTER_SESSION_ROTATION_INTERVAL', flag: 'session-rotation-interval', default: '10m' },
  secretKey: { env: 'ROSTER_SECRET_KEY', flag: 'secret-key', default: undefined },
  ...QUOTA_SETTINGS,
  userInviteMaxLifetime: { env: 'ROSTER_USER_INVITE_MAX_LIFETIME', flag: 'user-invite-max-lifetime', default: '24h' },
  eventsRetention: { env: 'ROSTER_EVENTS_RETENTION_PERIOD', flag: 'events-retention-period', default: '7d' },
  webhookAllowPrivate: { env: 'ROSTER_WEBHOOK_ALLOW_PRIVATE', flag: 'webhook-allow-private', default: 'false' },
} as const;

export type SettingName = keyof typeof SETTINGS;

export { ConfigError };

/**
 * ROSTER_TRUSTED_PROXIES: comma-separated IPs or CIDRs. Checked here, because a typo would
 * otherwise silently trust nobody (or, worse, be read by Fastify as something else).
 */
function parseProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [addr, prefix, extra] = entry.split('/');
    const family = isIP(addr);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(`ROSTER_TRUSTED_PROXIES must list IP addresses or CIDRs separated by commas, got "${entry}"`);
    }
  }
  return entries;
}

/** Builds the configuration: explicit overrides (CLI flags) win over the environment, which wins over defaults. */
export function loadConfig(overrides: Partial<Record<SettingName, string | undefined>> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = (name: SettingName): string | undefined => overrides[name] ?? env[SETTINGS[name].env] ?? SETTINGS[name].default;

  const port = Number(raw('port'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`ROSTER_PORT must be a port number, got "${raw('port')}"`);
  }
  const role = raw('autoAssignOrgRole')!;
  if (!isRole(role)) {
    throw new ConfigError(`ROSTER_AUTO_ASSIGN_ORG_ROLE must be one of Admin, Editor, Viewer, None; got "${role}"`);
  }
  const databaseUrl = raw('databaseUrl')!;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`ROSTER_DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
  }
  const publicUrl = raw('publicUrl')!.replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`ROSTER_PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }
  const rateLimit = Number(raw('rateLimit'));
  if (!Number.isInteger(rateLimit) || rateLimit < 0) {
    throw new ConfigError(`ROSTER_RATE_LIMIT must be a whole number of requests per minute (0 disables), got "${raw('rateLimit')}"`);
  }
  const redisUrl = raw('redisUrl') || undefined;
  if (redisUrl && !validRedisUrl(redisUrl)) {
    throw new ConfigError(`ROSTER_REDIS_URL must look like redis://host:port/db or rediss://host:port/db (TLS), got "${redactSecret(redisUrl)}"`);
  }
  const dbPoolSize = Number(raw('dbPoolSize'));
  if (!Number.isInteger(dbPoolSize) || dbPoolSize < 1) {
    throw new ConfigError(`ROSTER_DB_POOL_SIZE must be a whole number of at least 1, got "${raw('dbPoolSize')}"`);
  }
  const dbConnectTimeout = Number(raw('dbConnectTimeout'));
  if (!Number.isInteger(dbConnectTimeout) || dbConnectTimeout < 1) {
    throw new ConfigError(`ROSTER_DB_CONNECT_TIMEOUT must be a whole number of milliseconds, at least 1, got "${raw('dbConnectTimeout')}"`);
  }
  const trustedProxies = parseProxies(raw('trustedProxies') ?? '');
  const passwordMinLength = Number(raw('passwordMinLength'));
  if (!Number.isInteger(passwordMinLength) || passwordMinLength < 1 || passwordMinLength > 128) {
    throw new ConfigError(`ROSTER_PASSWORD_MIN_LENGTH must be a whole number from 1 to 128, got "${raw('passwordMinLength')}"`);
  }
  const memo = raw('memo')!.trim().toLowerCase();
  if (memo !== 'on' && memo !== 'off') throw new ConfigError(`ROSTER_MEMO must be on or off, got "${raw('memo')}"`);
  const adminPassword = raw('adminPassword');
  const sessionIdleMs = parseDuration('ROSTER_SESSION_IDLE_LIFETIME', raw('sessionIdleLifetime')!);
  const sessionMaxMs = parseDuration('ROSTER_SESSION_MAX_LIFETIME', raw('sessionMaxLifetime')!);
  const sessionRotationMs = parseDuration('ROSTER_SESSION_ROTATION_INTERVAL', raw('sessionRotationInterval')!);
  const userInviteLifetimeMs = parseDuration('ROSTER_USER_INVITE_MAX_LIFETIME', raw('userInviteMaxLifetime')!);
  const secretKey = raw('secretKey') || undefined;
  // 32 characters: a key anyone could guess would protect nothing.
  if (secretKey !== undefined && secretKey.length < 32) throw new ConfigError('ROSTER_SECRET_KEY must be at least 32 characters (e.g. the output of `openssl rand -hex 32`)');
  const { smtpUrl, smtpFrom } = smtpSettings(raw('smtpUrl') || undefined, raw('smtpFrom') || undefined);
  return {
    databaseUrl,
    host: raw('host')!,
    port,
    adminUser: raw('adminUser')!,
    adminPassword: adminPassword === '' ? undefined : adminPassword,
    allowOrgCreate: parseBool('ROSTER_ALLOW_ORG_CREATE', raw('allowOrgCreate')!),
    autoAssignOrgRole: role,
    publicUrl,
    logLevel: raw('logLevel')!,
    rateLimit,
    redisUrl,
    dbPoolSize,
    dbPreparedStatements: parseBool('ROSTER_DB_PREPARED_STATEMENTS', raw('dbPreparedStatements')!),
    dbConnectTimeout,
    smtpUrl,
    smtpFrom,
    trustedProxies,
    passwordMinLength,
    memo: memo === 'on',
    oidc: oidcSettings((name) => raw(name), publicUrl),
    sessionIdleMs,
    sessionMaxMs,
    sessionRotationMs,
    userInviteLifetimeMs,
    secretKey,
    quotas: quotaSettings((name) => raw(name)!),
    eventsRetentionMs: parseDuration('ROSTER_EVENTS_RETENTION_PERIOD', raw('eventsRetention')!),
    webhookAllowPrivate: parseBool('ROSTER_WEBHOOK_ALLOW_PRIVATE', raw('webhookAllowPrivate')!),
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as 30s, 10m, 12h or 7d (Grafana's session settings take such values). */
function parseDuration(name: string, value: string): number {
  const m = /^\s*(\d{1,6})\s*([smhd])\s*$/.exec(value);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]] : 0;
  if (!ms) throw new ConfigError(`${name} must be a duration such as 30s, 10m, 12h or 7d (more than zero), got "${value}"`);
  return ms;
}

/** The URL with its password replaced, for messages: a typo in the URL must not print the secret. */
export function redactSmtpUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

/**
 * ROSTER_SMTP_URL is smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or
 * smtps://... (TLS from the first byte). A From address is required with it: a made-up default
 * sender would be rejected or spam-filtered by most relays, and the mail silently lost.
 */
function smtpSettings(url: string | undefined, from: string | undefined): { smtpUrl?: string; smtpFrom?: string } {
  if (!url) {
    if (from) throw new ConfigError('ROSTER_SMTP_FROM is set but ROSTER_SMTP_URL is not: set both to send mail, or neither');
    return {};
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: where the password sits in a malformed URL cannot be told.
    throw new ConfigError('ROSTER_SMTP_URL must look like smtp://user:pass@host:port or smtps://user:pass@host:port (the value given is not a URL)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new ConfigError(`ROSTER_SMTP_URL must start with smtp:// or smtps://, got "${redactSmtpUrl(url)}"`);
  }
  if (!parsed.hostname) throw new ConfigError(`ROSTER_SMTP_URL names no host: "${redactSmtpUrl(url)}"`);
  if (parsed.password && !parsed.username) throw new ConfigError(`ROSTER_SMTP_URL has a password but no user name: "${redactSmtpUrl(url)}"`);
  if (!from) throw new ConfigError('ROSTER_SMTP_FROM must be set with ROSTER_SMTP_URL: the sender address of Roster\'s mail, e.g. "Roster <roster@example.com>"');
  if (!/^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(from.trim()) || /[\r\n]/.test(from)) {
    throw new ConfigError(`ROSTER_SMTP_FROM must be an email address, optionally with a name ("Roster <roster@example.com>"), got "${from}"`);
  }
  return { smtpUrl: url, smtpFrom: from.trim() };
}

/** redis:// or rediss:// (TLS) with a host, an optional port and an optional database number. */
function validRedisUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '' && /^\/?(\d+)?$/.test(u.pathname);
}

/** A Redis URL may carry a password: never echo it in an error. */
function redactSecret(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}
