// A floor for any server that reads PostgreSQL per request: bench/bare-server.mjs's answer of
// `bytes` bytes, sent after `queries` trivial prepared statements (`select $1::int`), one after
// another, on a pool of 10 connections, as Roster's pool. What no search reading the database in
// that many statements can beat on the same machine (bench/floor.mjs runs it).
// Usage: node bench/floor-server.mjs <port> <postgres url>; GET /?queries=N&bytes=B
import { createServer } from 'node:http';
import pg from 'pg';

const port = Number(process.argv[2]);
const pool = new pg.Pool({ connectionString: process.argv[3], max: 10 });
const bodies = new Map();
const bodyOf = (bytes) => bodies.get(bytes) ?? bodies.set(bytes, JSON.stringify(['x'.repeat(Math.max(0, bytes - 4))])).get(bytes);

createServer(async (req, res) => {
  const asked = new URL(req.url, 'http://x').searchParams;
  try {
    for (let i = 0; i < Number(asked.get('queries') ?? 2); i++) await pool.query({ name: 'floor', text: 'select $1::int as n', values: [i] });
  } catch (err) {
    res.writeHead(503).end(String(err));
    return;
  }
  const body = bodyOf(Number(asked.get('bytes') ?? 15360));
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(port, '127.0.0.1', () => console.log(`floor server on ${port}`));
