// GET /metrics in the Prometheus text format: requests and latency by face and route, memo hit
// rates, the PostgreSQL pool, process figures. A small hand-written exposition (no client
// library): a counter map and fixed-bucket histograms updated in one onResponse hook.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

/** Seconds; covers a cached read (sub-millisecond) to a slow 1,000-row page. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Which product's API a route belongs to, by path (labels stay few and stable). */
export function faceOf(route: string): string {
  if (route.startsWith('/api/v1/')) return 'oncall';
  if (/^\/api\/(organizations|projects|personal_api_keys|users\/@me)/.test(route)) return 'posthog';
  if (route === '/metrics' || route === '/api/openapi.json') return 'roster';
  return 'grafana';
}

interface Series {
  labels: string;
  /** Requests by status code. */
  statuses: Map<number, number>;
  count: number;
  sum: number;
  buckets: number[];
}

export interface MetricSources {
  /** Memo hits and misses (http/auth-cache.ts). */
  memo(): { hits: number; misses: number };
  /** PostgreSQL pool figures; undefined on SQLite. */
  pool(): { total: number; idle: number; waiting: number } | undefined;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class Metrics {
  /** By `METHOD route`: the labels are built once per route, not per request. */
  private series = new Map<string, Series>();
  private loopDelay = monitorEventLoopDelay({ resolution: 20 });
  constructor(private sources: MetricSources) {
    this.loopDelay.enable();
  }

  stop(): void {
    this.loopDelay.disable();
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    let s = this.series.get(method + route);
    if (!s) {
      const labels = `face="${faceOf(route)}",method="${method}",route="${esc(route)}"`;
      this.series.set(method + route, (s = { labels, statuses: new Map(), count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
    }
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.buckets[i]++;
  }

  render(): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    metric('roster_http_requests_total', 'counter', 'HTTP requests by face, method, route and status.', [...this.series.values()].flatMap((s) => [...s.statuses].map(([status, n]) => `roster_http_requests_total{${s.labels},status="${status}"} ${n}`)));
    metric(
      'roster_http_request_duration_seconds',
      'histogram',
      'HTTP request duration by face, method and route.',
      [...this.series.values()].flatMap((s) => [
        ...BUCKETS.map((b, i) => `roster_http_request_duration_seconds_bucket{${s.labels},le="${b}"} ${s.buckets[i]}`),
        `roster_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`,
        `roster_http_request_duration_seconds_sum{${s.labels}} ${s.sum}`,
        `roster_http_request_duration_seconds_count{${s.labels}} ${s.count}`,
      ]),
    );
    const memo = this.sources.memo();
    metric('roster_memo_lookups_total', 'counter', 'Memoized credential and current-org lookups, by result.', [
      `roster_memo_lookups_total{result="hit"} ${memo.hits}`,
      `roster_memo_lookups_total{result="miss"} ${memo.misses}`,
    ]);
    const pool = this.sources.pool();
    if (pool) {
      metric('roster_db_pool_connections', 'gauge', 'PostgreSQL pool connections by state.', [
        `roster_db_pool_connections{state="total"} ${pool.total}`,
        `roster_db_pool_connections{state="idle"} ${pool.idle}`,
      ]);
      metric('roster_db_pool_waiting', 'gauge', 'Queries waiting for a pool connection.', [`roster_db_pool_waiting ${pool.waiting}`]);
    }
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [`process_resident_memory_bytes ${mem.rss}`]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use, in bytes.', [`nodejs_heap_used_bytes ${mem.heapUsed}`]);
    metric('process_cpu_seconds_total', 'counter', 'User and system CPU time, in seconds.', [`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`]);
    metric('process_uptime_seconds', 'gauge', 'Seconds since the process started.', [`process_uptime_seconds ${process.uptime()}`]);
    metric('nodejs_eventloop_delay_p99_seconds', 'gauge', 'Event loop delay, 99th percentile since start.', [
      `nodejs_eventloop_delay_p99_seconds ${this.loopDelay.percentile(99) / 1e9}`,
    ]);
    return out.join('\n') + '\n';
  }
}

/** Registers the hook that counts every request and the /metrics route (no credentials, as Grafana's). */
export async function metricsRoutes(app: FastifyInstance, opts: { metrics: Metrics }) {
  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags: ['roster'], response: { 200: { description: 'The Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } } } } },
    async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(opts.metrics.render()),
  );
}

/** Root hook: route pattern (bounded label set), never the raw URL. */
export function countRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (req, reply, done) => {
    metrics.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.addHook('onClose', (_app, done) => {
    metrics.stop();
    done();
  });
}
