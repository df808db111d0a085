// The JSON body parser of every face (application/json, and SCIM's application/scim+json):
// invalid UTF-8 is a 400, not text silently patched with U+FFFD; an empty body is no body.
import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { jsonTooDeep, MAX_JSON_DEPTH } from './json-depth.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  try {
    const text = utf8.decode(body as Buffer);
    if (text.trim() === '') return done(null, undefined);
    // Refused before parsing: deeper nesting would only exhaust the stack of what walks it.
    if (jsonTooDeep(text)) throw new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    done(null, secureJson.parse(text, undefined, { protoAction: 'remove', constructorAction: 'remove' }));
  } catch (err) {
    const e = err as Error & { statusCode?: number; code?: string };
    e.statusCode = 400;
    e.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
    done(e, undefined);
  }
}
