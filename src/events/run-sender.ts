// Hands claimed runs of deliveries to the sender thread (events/sender-thread.ts) and answers
// what became of each. The thread starts with the first run; if it dies, the runs it held fail
// (their claims run out and they are posted again, as after a crash) and the next run starts a
// new one.
import { Worker } from 'node:worker_threads';

export interface RunRequest {
  id: number;
  /** The endpoint's signing secret, opened. */
  secret: string;
  allowPrivate: boolean;
  timeoutMs: number;
  /** No request of the run but the first starts after this time (ms since the epoch): it could outlast the lease. */
  lastStart: number;
  /** When the run's lease runs out: past it another process may have claimed the run, and not even the first request starts. */
  leaseEnds: number;
  deliveries: { id: number; eventId: number; webhookId: number; url: string; payload: string }[];
}

export interface RunOutcome {
  /** In queue order, up to the first failure. */
  delivered: { id: number; status: number }[];
  failed?: { id: number; status: number | null; error: string };
}

export type SenderMessage = { kind: 'run'; run: RunRequest } | { kind: 'abort'; id: number };
export type SenderReply = { id: number; outcome: RunOutcome | 'aborted' } | { id: number; error: string };

/**
 * The thread: the bundle's own entry when Roster runs from dist/server (scripts/build-server.mjs
 * builds both), the TypeScript source when it runs from source, loaded through tsx as the rest of
 * it is (a worker's `--import` would not apply to its entry module).
 */
function startThread(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./webhook-sender.cjs', import.meta.url));
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sender-thread.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

export class RunSender {
  private thread: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve(o: RunOutcome | 'aborted'): void; reject(err: Error): void }>();

  /** Posts the run on the thread; 'aborted' when `stopped` fired before it ended. */
  send(run: Omit<RunRequest, 'id'>, stopped: AbortSignal): Promise<RunOutcome | 'aborted'> {
    const thread = this.started();
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      thread.ref();
      thread.postMessage({ kind: 'run', run: { ...run, id } } satisfies SenderMessage);
      stopped.addEventListener('abort', () => thread.postMessage({ kind: 'abort', id } satisfies SenderMessage), { once: true });
    });
  }

  /** Ends the thread; runs under way are abandoned as a crash would leave them. */
  async close(): Promise<void> {
    const thread = this.thread;
    this.thread = undefined;
    await thread?.terminate();
    this.failAll(new Error('the webhook sender has stopped'));
  }

  private started(): Worker {
    if (this.thread) return this.thread;
    const thread = startThread();
    // Idle, it does not keep the process alive.
    thread.unref();
    thread.on('message', (m: SenderReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) thread.unref();
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.outcome);
    });
    const ended = (err: Error) => {
      if (this.thread !== thread) return;
      this.thread = undefined;
      this.failAll(err);
    };
    thread.on('error', ended);
    thread.on('exit', (code) => ended(new Error(`the webhook sender thread ended (exit code ${code})`)));
    this.thread = thread;
    return thread;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
