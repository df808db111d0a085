// The store alone, without HTTP: user searches for fresh fragments of real logins through
// selectUserPage and countMatchingUsers, as the route asks for a page and its total at once.
// One at a time: what one search costs. With --concurrency C: C searches kept in flight on the
// pool (PostgreSQL), what the database side alone allows under a load like the bench's 50
// connections. Medians of --runs, each --duration seconds after a one-second warm-up.
// Usage: node --import tsx bench/store-search.ts --database-url URL [--users 100000] [--concurrency 1] [--duration 5] [--runs 3]
import { parseArgs } from 'node:util';
import { openStore } from '../src/store/db.ts';
import { countMatchingUsers, selectUserPage } from '../src/store/users.ts';

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    users: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '1' },
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
  },
});
if (!opt['database-url']) throw new Error('--database-url is required');
const users = Number(opt.users);
const concurrency = Number(opt.concurrency);
const store = await openStore(opt['database-url'], { poolSize: 10 });
const sort = [
  { key: 'login' as const, desc: false },
  { key: 'email' as const, desc: false },
];

/** 3 to 5 characters of a seeded login (`roster seed` names its users seed1..seedN), as bench/wrk/rotating.lua draws them. */
function fragment(): string {
  const login = `seed${1 + Math.floor(Math.random() * users)}`;
  const length = 3 + Math.floor(Math.random() * 3);
  const at = Math.floor(Math.random() * (login.length - length + 1));
  return login.slice(at, at + length);
}

async function search(): Promise<void> {
  const query = fragment();
  await Promise.all([selectUserPage(store.db, store.dialect, { query, limit: 50, offset: 0, sort }), countMatchingUsers(store.db, store.dialect, query)]);
}

async function run(seconds: number): Promise<{ perSecond: number; p50: number; p99: number; mean: number }> {
  const times: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await search();
        times.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return { perSecond: times.length / elapsed, p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
await run(1);
const results = [];
for (let i = 0; i < Number(opt.runs); i++) results.push(await run(Number(opt.duration)));
await store.close();
const f = (x: number) => x.toFixed(x < 10 ? 3 : 1);
console.log(
  `${store.dialect}, ${concurrency} in flight, median of ${results.length} x ${opt.duration} s: ${median(results.map((r) => r.perSecond)).toFixed(0)} searches/s, ` +
    `mean ${f(median(results.map((r) => r.mean)))} ms, p50 ${f(median(results.map((r) => r.p50)))} ms, p99 ${f(median(results.map((r) => r.p99)))} ms`,
);
