// A bounded read/write load against running Roster servers, recording every outcome: what a
// client saw during a fault (statuses, Retry-After, refused connections) and which writes were
// acknowledged, to look for in the database afterwards.
import { ADMIN_PASSWORD } from '../helpers/roster.ts';

const AUTH = 'Basic ' + Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64');

export interface Tally {
  requests: number;
  byStatus: Map<number, number>;
  /** 503s without a positive whole Retry-After. */
  missingRetryAfter: number;
  /** Requests that got no HTTP answer at all (refused or reset connections). */
  noAnswer: number;
  /** The first few such failures, for the assertion message. */
  noAnswerSamples: string[];
}

export const newTally = (): Tally => ({ requests: 0, byStatus: new Map(), missingRetryAfter: 0, noAnswer: 0, noAnswerSamples: [] });

/** 5xx answers other than 503. */
export const otherServerErrors = (t: Tally) => [...t.byStatus].filter(([s]) => s >= 500 && s !== 503).reduce((n, [, c]) => n + c, 0);

export const describeTally = (t: Tally) =>
  `${t.requests} requests: ${[...t.byStatus]
    .sort(([a], [b]) => a - b)
    .map(([s, c]) => `${c} x ${s}`)
    .join(', ')}; ${t.noAnswer} without an answer`;

export interface Load {
  /** Org names whose creation was answered 200. */
  acked: string[];
  /** Switch the tally that outcomes are counted in (e.g. to count an outage apart). */
  countIn(t: Tally): void;
  stop(): Promise<void>;
}

/**
 * `clients` loops, each alternating an org creation (Grafana face) and a read, spread over
 * `ports` round-robin, until stop() (and at most `maxMs`: the load ends by itself).
 */
export function startLoad(ports: number[], clients: number, label: string, tally: Tally, maxMs = 60_000): Load {
  const acked: string[] = [];
  let current = tally;
  let stopped = false;
  const deadline = Date.now() + maxMs;
  let seq = 0;
  const call = async (port: number, method: string, path: string, body?: unknown) => {
    const t = current;
    t.requests++;
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(20_000),
      });
      await res.arrayBuffer();
      t.byStatus.set(res.status, (t.byStatus.get(res.status) ?? 0) + 1);
      if (res.status === 503 && !/^[1-9]\d*$/.test(res.headers.get('retry-after') ?? '')) t.missingRetryAfter++;
      return res.status;
    } catch (err) {
      t.noAnswer++;
      if (t.noAnswerSamples.length < 5) t.noAnswerSamples.push(`${method} ${port}${path}: ${String((err as Error & { cause?: Error }).cause ?? err)}`);
      return 0;
    }
  };
  const loop = async (client: number) => {
    while (!stopped && Date.now() < deadline) {
      const port = ports[seq % ports.length]!;
      const name = `${label} ${client}-${seq++}`;
      if ((await call(port, 'POST', '/api/orgs', { name })) === 200) acked.push(name);
      await call(ports[seq % ports.length]!, 'GET', '/api/orgs?perpage=5');
      // A refused connection returns at once: do not spin.
      if (current.noAnswer) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  return {
    acked,
    countIn: (t) => void (current = t),
    async stop() {
      stopped = true;
      await running;
    },
  };
}
