// pg decides when it is loaded whether it runs in a Cloudflare Worker (pg/lib/stream.js): by
// `navigator.userAgent`, or where there is no `navigator` (Node 20) by constructing a fetch
// Response, which loads Node's whole fetch implementation: 20-30 ms of CPU in every PostgreSQL
// start (bench/cold-start.mjs). Node 21 and later define `navigator`, with the user agent
// "Node.js/<major>"; on Node 20 this defines the same before pg loads. Imported first by the
// modules that import pg.
if (typeof globalThis.navigator === 'undefined') {
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` }),
    configurable: true,
    writable: true,
  });
}
