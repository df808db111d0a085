// Response serializers compiled once per schema, not once per route.
//
// Fastify compiles a fast-json-stringify function for every status of every route, and the faces
// share their response schemas (the error bodies, the user and org objects) between many routes:
// at start-up 256 compilations of 65 distinct schemas, the largest part of the time to the first
// answer (bench/cold-start.mjs). A serializer is a pure function of its schema (and of the
// options and shared schemas it was built with), so routes given the same schema object share it.
import SerializerSelector, { type SerializerFactory, type Serializer } from '@fastify/fast-json-stringify-compiler';

export function sharedSerializers(): SerializerFactory {
  const build = SerializerSelector();
  // Keyed like @fastify/ajv-compiler's pool: one cache per set of shared schemas and options.
  const caches = new Map<string, WeakMap<object, Serializer>>();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    const key = JSON.stringify([externalSchemas ?? null, options ?? null]);
    const cache = caches.get(key) ?? new WeakMap<object, Serializer>();
    caches.set(key, cache);
    return (route) => {
      const schema = route.schema;
      if (typeof schema !== 'object' || schema === null) return compile(route);
      let serialize = cache.get(schema);
      if (!serialize) cache.set(schema, (serialize = compile(route)));
      return serialize;
    };
  };
}
