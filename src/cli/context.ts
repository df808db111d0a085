// What every CLI command shares: settings flags, opening the store, the CLI's principal, output
// (human or --json) and exit codes scripts can rely on (0 ok, 1 usage/config, 2 not found, 3 conflict).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { loadConfig, SETTINGS, ConfigError, type Config, type SettingName } from '../config.ts';
import type { Store } from '../store/db.ts';
import { openContext } from '../app/open-context.ts';
import { announceWrites } from '../http/memo/invalidation.ts';
import { DomainError } from '../domain/errors.ts';
import type { Ctx } from '../domain/context.ts';
import type { Principal } from '../domain/principal.ts';
import type { User } from '../domain/users.ts';
import { resolveSqliteUrl, sqliteFile } from './project-root.ts';

export const EXIT = { ok: 0, usage: 1, notFound: 2, conflict: 3 } as const;

/** A failure the CLI reports as one line and an exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The help heading of the settings flags, which every command shares. */
export const SETTINGS_GROUP = 'Server settings (each also an environment variable):';

/** Every setting is also a flag: --database-url, --port, ... */
export function withSettingFlags(cmd: Command): Command {
  for (const s of Object.values(SETTINGS)) {
    cmd.option(`--${s.flag} <value>`, `${s.env}${s.default !== undefined ? ` (default ${s.default})` : ''}`);
    cmd.options.at(-1)!.helpGroup(SETTINGS_GROUP);
  }
  return cmd;
}

/**
 * Moves the shared settings flags after each command's own options, so `roster user create
 * --help` shows --password before the shared settings. Commander lists help groups in the order
 * their first option was added, and withSettingFlags runs before a command adds its own.
 */
export function settingsLast(cmd: Command): void {
  // `options` is typed read-only but is the array Commander itself reads and appends to.
  const options = cmd.options as Option[];
  const shared = options.filter((o) => o.helpGroupHeading === SETTINGS_GROUP);
  options.splice(0, options.length, ...options.filter((o) => o.helpGroupHeading !== SETTINGS_GROUP), ...shared);
  for (const sub of cmd.commands) settingsLast(sub);
}

export function configFrom(opts: Record<string, unknown>): Config {
  const overrides: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    if (typeof opts[name] === 'string') overrides[name] = opts[name] as string;
  }
  const config = loadConfig(overrides);
  return { ...config, databaseUrl: resolveSqliteUrl(config.databaseUrl) };
}

export interface CliContext {
  ctx: Ctx;
  store: Store;
  config: Config;
  json: boolean;
}

/** Opens (and migrates) the store named by the flags/environment. */
export async function openCli(opts: Record<string, unknown>, mayCreate = false): Promise<CliContext> {
  const config = configFrom(opts);
  // Only serve, migrate and seed create a database: a typo in a path, or a command run against
  // the wrong folder, must not leave an empty database behind and report "no such user".
  const file = sqliteFile(config.databaseUrl);
  if (file && !mayCreate && !existsSync(file)) throw new CliError(EXIT.usage, `no database at ${file}; run \`roster migrate\` or \`roster serve\` first`);
  const { store, ctx } = await openContext(config);
  return { ctx, store, config, json: opts.json === true };
}

/**
 * The operator at the shell: a server admin acting as Admin of `orgId` (so role ceilings hold),
 * with no user behind it; the audit trail records it as the system through face 'cli'.
 */
export function cliPrincipal(orgId = -1): Principal {
  return {
    kind: 'user',
    userId: null,
    serviceAccountId: null,
    tokenId: null,
    login: 'cli',
    orgId,
    role: orgId > 0 ? 'Admin' : null,
    isServerAdmin: true,
    via: { face: 'cli', requestId: randomUUID() },
  };
}

/** A user acting through the CLI (personal API keys belong to their user). */
export function cliUserPrincipal(user: User): Principal {
  return { ...cliPrincipal(user.org_id), kind: 'user', userId: user.id, login: user.login, role: null, isServerAdmin: user.is_admin === 1 };
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ConfigError) return EXIT.usage;
  if (err instanceof DomainError) return err.kind === 'not-found' ? EXIT.notFound : err.kind === 'conflict' ? EXIT.conflict : EXIT.usage;
  return EXIT.usage;
}

/** Runs a command body with an open store; maps errors to one stderr line and an exit code. */
export function action<A extends unknown[]>(body: (cli: CliContext, ...args: A) => Promise<void>, { mayCreate = false } = {}) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const opts = cmd.optsWithGlobals();
    let cli: CliContext | undefined;
    let code: number = EXIT.ok;
    try {
      cli = await openCli(opts, mayCreate);
      await body(cli, ...(args.slice(0, -1) as A));
    } catch (err) {
      code = exitCodeOf(err);
      const known = err instanceof CliError || err instanceof ConfigError || err instanceof DomainError;
      const message = err instanceof ConfigError ? `Configuration error: ${err.message}` : known ? (err as Error).message : String((err as Error)?.stack ?? err);
      if (opts.json === true) console.log(JSON.stringify({ error: message, code: err instanceof DomainError ? err.code : undefined }));
      console.error(`Error: ${message}`);
    } finally {
      // Running servers drop what they memoized; after a failure too: a command of several writes (an import) may have made some.
      if (cli) await announceWrites(cli.store).catch(() => {});
      await cli?.store.close();
    }
    process.exitCode = code;
  };
}

/** Prints a result: JSON when --json, else the human text. */
/** A positive whole number from the command line, else a usage error naming `what`. */
export function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new CliError(EXIT.usage, `${what} must be a positive whole number`);
  return n;
}

export function out(cli: CliContext, data: unknown, human: () => string): void {
  console.log(cli.json ? JSON.stringify(data, null, 2) : human());
}

/** A plain text table. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

/** A progress line on stderr (redrawn on a terminal). */
export function progress(label: string, done: number, total: number): void {
  const tty = process.stderr.isTTY;
  const pct = total ? Math.floor((done / total) * 100) : 100;
  const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
  process.stderr.write(`${tty ? '\r' : ''}${label.padEnd(14)} [${bar}] ${done}/${total}${tty && done < total ? '' : '\n'}`);
}
