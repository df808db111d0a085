// Opens the database, brings its schema up to date and builds the domain context: what the
// server, the CLI and the benchmark seeder all start from.
import type { Config } from '../config.ts';
import type { Ctx } from '../domain/context.ts';
import { tokenHashKey } from '../domain/keys.ts';
import { TokenHasher } from '../domain/secrets.ts';
import { openSecretBox } from '../domain/secret-box.ts';
import { openConfiguredStore } from '../store/configured-store.ts';
import type { Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';

export async function openContext(config: Config): Promise<{ store: Store; ctx: Ctx }> {
  const store = await openConfiguredStore(config);
  try {
    await migrate(store);
    const ctx: Ctx = {
      db: store.db,
      reads: store.reads ?? store.db,
      dialect: store.dialect,
      settings: {
        allowOrgCreate: config.allowOrgCreate,
        autoAssignOrgRole: config.autoAssignOrgRole,
        mailEnabled: config.smtpUrl !== undefined,
        publicUrl: config.publicUrl,
        passwordMinLength: config.passwordMinLength,
        ...(config.oidc ? { sso: { name: config.oidc.name, autoLogin: config.oidc.autoLogin } } : {}),
        sessions: { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs, rotationMs: config.sessionRotationMs },
        quotas: config.quotas,
        userInviteLifetimeMs: config.userInviteLifetimeMs,
        webhookAllowPrivate: config.webhookAllowPrivate,
      },
      hasher: new TokenHasher(await tokenHashKey(store.db)),
      secretBox: await openSecretBox(store.db, config.secretKey),
    };
    return { store, ctx };
  } catch (err) {
    // A server waiting for its database opens it again later (cli/serve.ts): leave no pool behind.
    await store.close().catch(() => {});
    throw err;
  }
}
