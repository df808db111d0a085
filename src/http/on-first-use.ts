// Routes served by a plugin that is loaded on first use. Swagger UI and the console's static files
// come from plugins (@fastify/swagger-ui, @fastify/static) whose modules, with `yaml` and `glob`,
// were a tenth of the CPU time to the first answer (bench/cold-start.mjs), for pages most
// processes never serve. Fastify takes no routes once started, so such a plugin gets a Fastify
// instance of its own, built by the first request for one of its paths; this server's route
// passes each request on to it (inject) and sends its answer back, status, headers and body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Headers this server's reply sets itself for the body it sends. */
const OWN_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date']);

/** Passes a request on to the instance `build` makes (once, on first use); `url` replaces the request's, `headers` are added to the answer's. */
export type Forward = (req: FastifyRequest, reply: FastifyReply, opts?: { url?: string; headers?: Record<string, string> }) => Promise<FastifyReply>;

export function onFirstUse(build: () => Promise<FastifyInstance>): Forward {
  let instance: Promise<FastifyInstance> | undefined;
  const ready = () => {
    instance ??= build().then(
      async (app) => {
        await app.ready();
        return app;
      },
      (err) => {
        // Built again by the next request rather than failing every one after.
        instance = undefined;
        throw err;
      },
    );
    return instance;
  };
  return async (req, reply, { url = req.url, headers = {} } = {}) => {
    const app = await ready();
    // HEAD as GET: this server's reply then drops the body and keeps its length.
    const res = await app.inject({ method: req.method === 'HEAD' ? 'GET' : (req.method as 'GET'), url, headers: req.headers });
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !OWN_HEADERS.has(name)) reply.header(name, value);
    return reply.headers(headers).code(res.statusCode).send(res.rawPayload);
  };
}
