// The baseline: a bare node:http server answering a fixed JSON body the size of GET /api/org's.
// Usage: node bench/bare-server.mjs <port>
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 12,
  name: 'Bench Org',
  address: { address1: '', address2: '', city: '', zipCode: '', state: '', country: '' },
});
const port = Number(process.argv[2] ?? 4402);
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`bare server on ${port}`));
