// Runs wrk as a separate process and parses its report (--latency gives the percentiles).
import { execFile } from 'node:child_process';

const toMs = (value, unit) => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function parseWrk(out) {
  const pct = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1], m[2]) : NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: pct(50),
    p99: pct(99),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    errors: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    socketErrors: /Socket errors: (.*)/.exec(out)?.[1] ?? null,
  };
}

/** { url, connections, threads, duration (s), headers?, script?, scriptArgs? } */
export function runWrk(o) {
  const args = ['-c', String(o.connections), '-t', String(o.threads), '-d', `${o.duration}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}: ${v}`);
  if (o.script) args.push('-s', o.script);
  args.push(o.url);
  if (o.scriptArgs) args.push('--', ...o.scriptArgs);
  return new Promise((resolve, reject) =>
    execFile('wrk', args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err && err.code === 'ENOENT') return reject(new Error('wrk is not installed (Debian: apt-get install -y wrk)'));
      if (err) return reject(new Error(`wrk failed: ${stderr || err.message}`));
      const r = parseWrk(stdout);
      if (!Number.isFinite(r.rps)) return reject(new Error(`could not parse wrk output:\n${stdout}`));
      resolve(r);
    }),
  );
}
