// A minimal Redis client for one job: INCR a window counter and give it an expiry, pipelined on
// one connection (RESP2 integers and errors only). Enough for shared rate-limit counters without
// a dependency; any connection trouble is reported to the caller, which falls back to counting
// in its own process.
import { connect, type Socket } from 'node:net';

export class RedisCounter {
  private socket: Socket | undefined;
  private pending: { resolve(n: number): void; reject(e: Error): void }[] = [];
  private buffer = '';

  constructor(private readonly url: string) {}

  /** INCR `key`, EXPIRE it after `seconds`; resolves with the new count. */
  async incr(key: string, seconds: number): Promise<number> {
    const socket = this.connection();
    const [count] = await Promise.all([
      this.reply(),
      this.reply(),
      new Promise<void>((resolve, reject) =>
        socket.write(command('INCR', key) + command('EXPIRE', key, String(seconds)), (err) => (err ? reject(err) : resolve())),
      ),
    ]);
    return count;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private reply(): Promise<number> {
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private connection(): Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const u = new URL(this.url);
    const socket = connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.parse(chunk));
    const fail = (err: Error) => {
      if (this.socket === socket) this.socket = undefined;
      const waiting = this.pending;
      this.pending = [];
      this.buffer = '';
      for (const p of waiting) p.reject(err);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('redis connection closed')));
    this.socket = socket;
    if (u.password) socket.write(command('AUTH', ...(u.username ? [decodeURIComponent(u.username)] : []), decodeURIComponent(u.password)));
    if (u.password) this.pending.push({ resolve() {}, reject() {} });
    return socket;
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const waiter = this.pending.shift();
      if (!waiter) continue;
      if (line[0] === ':') waiter.resolve(Number(line.slice(1)));
      else if (line[0] === '+') waiter.resolve(0);
      else waiter.reject(new Error(`redis: ${line.slice(1)}`));
    }
  }
}

function command(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}
