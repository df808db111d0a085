// The baseline: a bare node:http server answering a fixed JSON body, by default the size of
// GET /api/org's; `/?bytes=N` answers a body of N bytes instead, so a scenario with a large answer
// (a 1,000-member list is ~340 KB) is compared with a bare server moving the same bytes.
// Usage: node bench/bare-server.mjs <port>
import { createServer } from 'node:http';

const orgBody = JSON.stringify({
  id: 12,
  name: 'Bench Org',
  address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' },
});
const bodies = new Map();
/** A JSON array of small strings padded to exactly `bytes` bytes (at least 2). */
function bodyOf(bytes) {
  if (!bodies.has(bytes)) {
    const items = [];
    let size = 2;
    while (size + 32 < bytes) {
      items.push('x'.repeat(28));
      size += items.length === 1 ? 30 : 31;
    }
    const body = JSON.stringify(items);
    bodies.set(bytes, body.slice(0, -1) + ' '.repeat(Math.max(0, bytes - body.length)) + ']');
  }
  return bodies.get(bytes);
}

const port = Number(process.argv[2] ?? 4402);
createServer((req, res) => {
  const bytes = Number(new URL(req.url, 'http://x').searchParams.get('bytes'));
  const body = bytes > 0 ? bodyOf(bytes) : orgBody;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`bare server on ${port}`));
