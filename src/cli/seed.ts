// `roster seed`: fills a database with synthetic orgs, users and memberships at scale, with a
// progress line on stderr. Every seeded user logs in with the same password (--password).
import { ConfigError, type Config } from '../config.ts';
import { checkNewPassword } from '../domain/password-policy.ts';
import { isDomainError } from '../domain/errors.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import { migrate } from '../store/migrate.ts';
import { hashPassword } from '../domain/secrets.ts';
import { bulkSeed, seededLogin } from './bulk-seed.ts';

export interface SeedOptions {
  users: number;
  orgs: number;
  memberships: number;
  password: string;
}

function progressLine(started: number) {
  let last = 0;
  return (phase: string, done: number, total: number) => {
    const t = performance.now();
    // A terminal gets one line redrawn 4 times a second; a log file a line every 10 seconds.
    if (done < total && t - last < (process.stderr.isTTY ? 250 : 10_000)) return;
    last = t;
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
    const secs = ((t - started) / 1000).toFixed(1);
    process.stderr.write(`${process.stderr.isTTY ? '\r' : ''}${phase.padEnd(11)} [${bar}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${secs}s   `);
    if (done >= total || !process.stderr.isTTY) process.stderr.write('\n');
  };
}

export async function seedCommand(config: Config, opts: SeedOptions): Promise<void> {
  // Seeded users sign in with this password: it meets the policy like any other set password.
  try {
    checkNewPassword(opts.password, config.passwordMinLength);
  } catch (err) {
    throw isDomainError(err) ? new ConfigError(`--password: ${err.message}`) : err;
  }
  const store = await openConfiguredStore(config);
  try {
    await migrate(store);
    const started = performance.now();
    const result = await bulkSeed(store, {
      ...opts,
      // One KDF for all users: hashing a million passwords would take hours.
      passwordHash: await hashPassword(opts.password),
      onProgress: progressLine(started),
    });
    const secs = (ms: number) => (ms / 1000).toFixed(1) + 's';
    const { orgs, users, memberships } = result.timingsMs;
    console.log(
      `Seeded ${opts.orgs} orgs (${secs(orgs)}), ${opts.users} users (${secs(users)}), ${opts.memberships} memberships (${secs(memberships)}); ` + `total ${secs(performance.now() - started)}`,
    );
    if (opts.users) {
      console.log(`Users ${seededLogin(result.firstUserId)}..${seededLogin(result.firstUserId + opts.users - 1)}, password "${opts.password}"`);
    }
  } finally {
    await store.close();
  }
}
