// Builds the HTTP app: the store, the shared plumbing, and every face.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerFactory } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import { registerApiDocs } from './http/api-docs.ts';
import type { Json } from './http/openapi/operations.ts';
import type { Config } from './config.ts';
import type { Ctx } from './domain/context.ts';
import { bootstrap, type BootstrapResult } from './domain/bootstrap.ts';
import type { Store } from './store/db.ts';
import { openContext } from './app/open-context.ts';
import { searchIndexesPresent } from './store/contains-search.ts';
import { redactUrl } from './http/redact.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { Authenticator } from './http/auth.ts';
import { Memos } from './http/memo/memos.ts';
import { forgetAfterWrites } from './http/memo/after-write.ts';
import { openInvalidationBus } from './http/memo/invalidation.ts';
import type { FaceDeps } from './http/face/deps.ts';
import { grafana, grafanaFace } from './api/grafana/plugin.ts';
import { oncall, oncallFace } from './api/oncall/plugin.ts';
import { roster, rosterApi } from './api/roster/plugin.ts';
import { posthog, posthogFace } from './api/posthog/plugin.ts';
import { scim, scimFace, SCIM_PREFIX } from './api/scim/plugin.ts';
import { sessionRoutes } from './http/session.ts';
import { ssoRoutes } from './http/sso.ts';
import { consoleRoutes } from './http/console.ts';
import { countRequests, Metrics, metricsRoutes } from './http/metrics.ts';
import { markUnavailable, UNAVAILABLE_MESSAGE } from './http/unavailable.ts';
import { OutboxWorker, type OutboxOptions } from './mail/outbox.ts';
import { WebhookDeliverer, type DelivererOptions } from './events/deliverer.ts';
import { EventPruner } from './events/pruner.ts';
import { gramFolder } from './app/gram-folder.ts';
import { smtpTransport } from './mail/transport.ts';
import { registerInputGuard } from './http/input-guard.ts';
import { parseJsonBody } from './http/json-body.ts';
import { acceptedRequestId } from './http/request-id.ts';
import { sharedSerializers } from './http/shared-serializers.ts';
import { LazyCompilers } from './http/lazy-compilers.ts';

export const BODY_LIMIT = 1024 * 1024;

export interface Roster {
  app: FastifyInstance;
  ctx: Ctx;
  store: Store;
  boot: BootstrapResult;
  /** Every route registered, as `METHOD /url` (Fastify's implicit HEAD of each GET included), for
   * the test that checks each one is in the OpenAPI document. */
  routes: string[];
  /** Compiles every route schema not compiled yet (they compile at first use); throws what Ajv or fast-json-stringify refuses. */
  compileSchemas(): number;
  /** The OpenAPI document served at /api/openapi.json (built on first use, then kept). */
  openApiDocument(): Promise<Json>;
  close(): Promise<void>;
}

export interface RosterOptions {
  /** Where logs go (default stdout); tests read them to prove no secret is ever logged. */
  logStream?: { write(line: string): void };
  /**
   * An HTTP server that already listens (cli/serve.ts binds the port before the database is
   * reachable); the app then serves through it instead of creating and binding its own.
   */
  serverFactory?: FastifyServerFactory;
  /** The mail sender's timings (tests shorten the retry delays). */
  mail?: OutboxOptions;
  /** The webhook deliverer's timings (tests shorten them). */
  webhooks?: DelivererOptions;
  /** How often the event pruner runs (ms; tests shorten it). */
  pruneEveryMs?: number;
  /** PostgreSQL: how often the user-search counts' deltas are folded (ms; tests shorten it). */
  foldGramsEveryMs?: number;
}

export async function createRoster(config: Config, options: RosterOptions = {}): Promise<Roster> {
  const { store, ctx } = await openContext(config);
  let boot: BootstrapResult;
  try {
    boot = await bootstrap(ctx, { login: config.adminUser, password: config.adminPassword });
  } catch (err) {
    // A server waiting for its database tries again later (cli/serve.ts): leave no pool behind.
    await store.close().catch(() => {});
    throw err;
  }

  const compilers = new LazyCompilers();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }) },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Per-request logs only at debug and trace: they halve throughput (errors are still logged).
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(config.logLevel) }),
    bodyLimit: BODY_LIMIT,
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
    // A request id for logs, audit events and error bodies; a caller's X-Request-Id is kept when
    // it is short printable text (http/request-id.ts).
    requestIdHeader: false,
    genReqId: (req) => acceptedRequestId(req.headers['x-request-id']) ?? randomUUID(),
    // Long path ids reach the faces (their own 404 body) instead of Fastify's bare 414; Node's
    // 16 KB header limit bounds them anyway, and no route uses a regex parameter.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 16384 },
    // validateSchema off: Ajv would compile the JSON Schema meta-schema and check every route's
    // schema against it at each start (a tenth of the CPU to the first answer). The schemas are
    // TypeBox's, compiled in Ajv's strict mode (an unknown keyword or type still fails the start),
    // and the OpenAPI document made of them is linted (`npm run lint`, redocly).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, validateSchema: false } },
    // Each route's validators and serializers are compiled at its first use (http/lazy-compilers.ts).
    schemaController: { compilersFactory: { buildValidator: compilers.validators(), buildSerializer: compilers.serializers(sharedSerializers()) } },
    // X-Forwarded-For/-Proto/-Host are believed only from the proxies listed in
    // ROSTER_TRUSTED_PROXIES: req.ip (throttles, rate limits) and req.protocol (the Secure
    // cookie) cannot be forged by a client that connects directly.
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Empty bodies are allowed (DELETE with a JSON content type, as the products' docs send).
  app.removeContentTypeParser('application/json');
  // Bodies are decoded strictly (http/json-body.ts).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonBody);

  // Cookies are parsed (req.cookies) and set (reply.setCookie) by @fastify/cookie; a value whose
  // percent-encoding does not decode is passed on as sent, and then names no session (auth.ts).
  await app.register(cookie);

  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });

  // The OpenAPI document of every route registered below (/api/openapi.json) and its reference (/api/docs).
  const openApiDocument = registerApiDocs(app, { publicUrl: config.publicUrl, faces: [grafana, oncall, posthog, roster, scim] });

  // Hooks on every request are callback-style where they need not wait: an async hook costs a
  // promise per request on the hot path.
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers({ 'x-request-id': req.id, 'x-content-type-options': 'nosniff', 'x-frame-options': 'deny', 'referrer-policy': 'same-origin' });
    done();
  });

  const memos = new Memos(config.memo);
  const limiter = new RateLimiter(config.rateLimit, { url: config.redisUrl, log: app.log });
  const faces: FaceDeps = { ctx, auth: new Authenticator(ctx, memos.credentials, config.publicUrl), limiter, memos, publicUrl: config.publicUrl };
  // Every memo is dropped after each write, here and (told through the bus) in every other process.
  const bus = openInvalidationBus(
    { dialect: store.dialect, url: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeout },
    () => memos.invalidate(),
    (msg) => app.log.warn(msg),
  );
  // Webhook deliveries (docs/events.md): in every process, sharing the work through the database;
  // each write of this process wakes it, so events are fanned out and posted without a poll's wait.
  const background = store.background ?? store.db;
  const deliverer = new WebhookDeliverer(background, store.dialect, ctx.secretBox, config.webhookAllowPrivate, app.log, options.webhooks);
  ctx.webhooksQueued = () => deliverer.nudge();
  forgetAfterWrites(app, store, memos, bus, () => deliverer.soon());
  if (!(await searchIndexesPresent(store.db, store.dialect))) {
    app.log.warn('PostgreSQL extension pg_trgm could not be created (CREATE EXTENSION pg_trgm as a superuser, then restart): user, member, team and service account searches scan whole tables');
  }
  // Routes outside the faces (metrics, the console, the OpenAPI document), and a face whose own
  // error answer failed too: a database outage is 503 there as well; anything else goes on to
  // Fastify's default handler.
  app.setErrorHandler((err, req, reply) => {
    if (markUnavailable(req, reply, err)) return reply.send({ message: UNAVAILABLE_MESSAGE });
    return reply.send(err);
  });
  // Before the response memo and every face: the input check (http/input-guard.ts).
  registerInputGuard(app);
  memos.responses.register(app);
  const metrics = new Metrics({ memo: () => memos.stats(), pool: () => store.poolStats?.() });
  countRequests(app, metrics);
  await app.register(metricsRoutes, { metrics });
  await app.register(sessionRoutes, { ctx, publicUrl: config.publicUrl });
  await app.register(ssoRoutes, { ctx, oidc: config.oidc, publicUrl: config.publicUrl });
  await app.register(grafanaFace, faces);
  await app.register(oncallFace, { ...faces, prefix: '/api/v1' });
  await app.register(rosterApi, { ...faces, prefix: '/api/roster/v1' });
  await app.register(posthogFace, { ...faces, compilers });
  await app.register(scimFace, { ...faces, prefix: SCIM_PREFIX });
  // The admin console at / (built assets; any other page path falls back to its index.html).
  await consoleRoutes(app);

  // The mail sender (mail/outbox.ts): each process sends what is due, its own rows and any left
  // by a process that stopped; claims keep two processes from sending the same row.
  let outbox: OutboxWorker | undefined;
  if (config.smtpUrl && config.smtpFrom) {
    outbox = new OutboxWorker(background, store.dialect, smtpTransport(config.smtpUrl, config.smtpFrom), app.log, options.mail);
    const worker = outbox;
    ctx.mailQueued = () => worker.nudge();
    outbox.start();
  }

  // Webhook deliveries and the outbox's retention (docs/events.md).
  deliverer.start();
  const pruner = new EventPruner(background, config.eventsRetentionMs, app.log, options.pruneEveryMs);
  pruner.start();
  // PostgreSQL: the user-search counts' deltas into their counts (store/user-grams.ts).
  const folder = store.dialect === 'postgres' ? gramFolder(background, app.log, options.foldGramsEveryMs) : undefined;
  folder?.start();

  return {
    app,
    ctx,
    store,
    boot,
    routes,
    compileSchemas: () => compilers.compileAll(),
    openApiDocument,
    async close() {
      await app.close();
      await outbox?.stop();
      await deliverer.stop();
      await pruner.stop();
      await folder?.stop();
      limiter.close();
      await bus.close();
      await store.close();
    },
  };
}
