// GET /metrics in the Prometheus text format through prom-client: requests and latency by face
// and route, memo hit rates, the PostgreSQL pool, and prom-client's default process metrics
// (CPU, memory, GC, file descriptors, event loop) with the event-loop delay beyond its sampling
// interval (http/event-loop-delay.ts). Roster's own series live in a registry per
// Roster instance, so tests that start several in one process count each apart.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { eventLoopDelayGauge } from './event-loop-delay.ts';

/** Seconds; covers a cached read (sub-millisecond) to a slow 1,000-row page. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Requests no route matched: the route label stays "unmatched", the face comes from the path. */
const UNMATCHED_API = '\0api';
const UNMATCHED_PAGE = '\0page';

/** Which product's API a route belongs to, by path (labels stay few and stable). */
export function faceOf(route: string): string {
  if (route.startsWith('/api/v1/')) return 'oncall';
  if (/^\/api\/(organizations|projects|personal_api_keys|users\/@me)/.test(route)) return 'posthog';
  if (route === '/metrics' || route.startsWith('/api/roster/') || route === '/api/openapi.json' || route === '/api/docs') return 'roster';
  if (route === UNMATCHED_API || route.startsWith('/api/')) return 'grafana';
  // Everything else is the admin console: its page, static assets, login and logout.
  return 'console';
}

/** The default metrics describe the process, not one instance: collected once per process, so
 *  several instances in one process share one GC observer and one event-loop monitor. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    collectDefaultMetrics({ register: (processRegistry = new Registry()) });
    eventLoopDelayGauge(processRegistry);
  }
  return processRegistry;
}

export interface MetricSources {
  /** Memo hits and misses (http/memo/memos.ts). */
  memo(): { hits: number; misses: number };
  /** PostgreSQL pool figures; undefined on SQLite. */
  pool(): { total: number; idle: number; waiting: number } | undefined;
}

type Labels = { face: string; method: string; route: string };
/** A route's labels, built once: prom-client hashes the object it is given, nothing more. */
interface RouteSeries {
  labels: Labels;
  byStatus: Map<number, Labels & { status: number }>;
}

export class Metrics {
  readonly registry = new Registry();
  /** By method, then route pattern: no key string is built per request. */
  private series = new Map<string, Map<string, RouteSeries>>();
  private requests = new Counter({
    name: 'roster_http_requests_total',
    help: 'HTTP requests by face, method, route and status.',
    labelNames: ['face', 'method', 'route', 'status'],
    registers: [this.registry],
  });
  private duration = new Histogram({
    name: 'roster_http_request_duration_seconds',
    help: 'HTTP request duration by face, method and route.',
    labelNames: ['face', 'method', 'route'],
    buckets: BUCKETS,
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    processMetrics(); // the GC observer and loop monitor start with the server, not at the first scrape
    new Counter({
      name: 'roster_memo_lookups_total',
      help: 'Memoized credential and current-org lookups, by result.',
      labelNames: ['result'],
      registers: [this.registry],
      // The memo counts for itself (a plain increment on its path); read at scrape time.
      collect() {
        const { hits, misses } = sources.memo();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
      },
    });
    // Only PostgreSQL has a pool: on SQLite these series are left out, not reported as zero.
    if (!sources.pool()) return;
    new Gauge({
      name: 'roster_db_pool_connections',
      help: 'PostgreSQL pool connections by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = sources.pool()!;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
      },
    });
    new Gauge({
      name: 'roster_db_pool_waiting',
      help: 'Queries waiting for a pool connection.',
      registers: [this.registry],
      collect() {
        this.set(sources.pool()!.waiting);
      },
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    let byRoute = this.series.get(method);
    if (!byRoute) this.series.set(method, (byRoute = new Map()));
    let s = byRoute.get(route);
    if (!s) {
      const labels = { face: faceOf(route), method, route: route[0] === '\0' ? 'unmatched' : route };
      byRoute.set(route, (s = { labels, byStatus: new Map() }));
    }
    let withStatus = s.byStatus.get(status);
    if (!withStatus) s.byStatus.set(status, (withStatus = { ...s.labels, status }));
    this.requests.inc(withStatus);
    this.duration.observe(s.labels, seconds);
  }

  async render(): Promise<string> {
    return (await this.registry.metrics()) + '\n' + (await processMetrics().metrics());
  }
}

/** Registers the /metrics route (no credentials, as Grafana's). */
export async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }) {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['roster'], response: { 200: { description: 'The Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } } } } },
    async (_req, reply) => reply.type(opts.metrics.registry.contentType).send(await opts.metrics.render()),
  );
}

/** Root hook: route pattern (bounded label set), never the raw URL. */
export function countRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? (req.url.startsWith('/api/') ? UNMATCHED_API : UNMATCHED_PAGE);
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
