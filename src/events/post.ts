// One webhook POST over node:http(s) with a keep-alive agent per endpoint: a delivery reuses its
// endpoint's connection (no handshake per event), a hanging receiver holds only its own socket,
// and node:http costs about a third of the CPU of the global fetch per request (docs/events.md).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostResult {
  status: number | null;
  /** Why it failed; null when the receiver answered 2xx. */
  error: string | null;
}

export class EndpointAgents {
  private readonly agents = new Map<string, HttpAgent>();

  /** POSTs `body`; never throws. Redirects are not followed (a 3xx is a failure). */
  post(endpoint: number, url: string, headers: Record<string, string>, body: string, timeoutMs: number, stopped: AbortSignal): Promise<PostResult> {
    const signal = AbortSignal.any([stopped, AbortSignal.timeout(timeoutMs)]);
    return new Promise<PostResult>((resolve) => {
      const fail = (err: Error) => {
        const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
        resolve({ status: null, error: timedOut ? `no answer within ${timeoutMs} ms` : String(err.message ?? err).slice(0, 300) });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch (err) {
        return fail(err as Error);
      }
      const https = target.protocol === 'https:';
      const answered = (res: IncomingMessage) => {
        const status = res.statusCode ?? null;
        res.on('error', fail);
        res.on('end', () => resolve({ status, error: status !== null && status >= 200 && status <= 299 ? null : `HTTP ${status}` }));
        // Cut off before the end of the answer (the first outcome wins).
        res.on('close', () => fail(new Error('connection closed before the end of the answer')));
        res.resume();
      };
      const options = { method: 'POST', agent: this.agent(endpoint, https), signal, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } };
      const req = https ? httpsRequest(target, options, answered) : httpRequest(target, options, answered);
      req.on('error', fail);
      req.end(body);
    });
  }

  /** Closes every kept-alive connection. */
  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  private agent(endpoint: number, https: boolean): HttpAgent {
    const key = `${endpoint}:${https ? 's' : ''}`;
    let a = this.agents.get(key);
    if (!a) {
      // One request at a time per endpoint (deliverer.ts), so one socket each.
      a = https ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
      this.agents.set(key, a);
    }
    return a;
  }
}
