// Route schemas compiled when a route first needs them, not at start.
//
// Fastify compiles every route's request validators (Ajv) and response serializers
// (fast-json-stringify) while it starts: with some 210 operations that was the largest part of
// the time to the first answer (bench/cold-start.mjs, BENCHMARKS.md), though most processes
// answer only a few of them. Here each route gets a function that compiles on its first call,
// then calls the compiled one (a first request of a route pays its compilation: a few ms).
// Serializers stay shared per schema object (shared-serializers.ts).
//
// A schema Ajv's strict mode refuses would then fail at first use instead of at start:
// `compileAll()` compiles whatever is still pending, and a test calls it on the whole server.
import ValidatorSelector from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';
import type { SerializerFactory } from '@fastify/fast-json-stringify-compiler';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wraps validators and serializers of any signature
type AnyFunction = (...args: any[]) => any;

export class LazyCompilers {
  private readonly pending = new Set<() => unknown>();

  /**
   * `compile` deferred to the first call of the function it makes. Ajv's validators report
   * through an `errors` property of the function, which Fastify reads after the call: copied over.
   */
  lazily<F extends AnyFunction>(compile: () => F): F {
    let fn: F | undefined;
    const force = () => {
      if (!fn) {
        fn = compile();
        this.pending.delete(force);
      }
      return fn;
    };
    this.pending.add(force);
    const call = function (this: unknown, ...args: unknown[]) {
      const compiled = force();
      const out = compiled.apply(this, args);
      (call as { errors?: unknown }).errors = (compiled as { errors?: unknown }).errors;
      return out;
    };
    return call as unknown as F;
  }

  /** Fastify's own validator compiler (@fastify/ajv-compiler, with the server's Ajv options), deferred. */
  validators() {
    const build = ValidatorSelector();
    return ((externalSchemas, options) => {
      const compile = build(externalSchemas, options);
      return (route: Parameters<typeof compile>[0]) => this.lazily(() => compile(route));
    }) as typeof build;
  }

  /** A face's own validator compiler, deferred. */
  validator<S>(compile: FastifySchemaCompiler<S>): FastifySchemaCompiler<S> {
    return (route) => this.lazily(() => compile(route) as AnyFunction);
  }

  /** A serializer factory (shared-serializers.ts), deferred. */
  serializers(factory: SerializerFactory): SerializerFactory {
    return (externalSchemas, options) => {
      const compile = factory(externalSchemas, options);
      return (route) => this.lazily(() => compile(route));
    };
  }

  /** Compiles every schema not compiled yet; throws what a compilation throws. */
  compileAll(): number {
    const all = [...this.pending];
    this.pending.clear();
    for (const force of all) force();
    return all.length;
  }
}
