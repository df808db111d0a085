// The memoized hot path (a token or login seen a moment ago, the in-process rate limit) has its
// answer at hand: it returns the value itself, and only a miss returns a promise. Admission
// without promises (with the principal named in place) served ~25 % more token GET /api/org
// requests per second in an A/B benchmark.

export type Maybe<T> = T | Promise<T>;

/** `f(value)`, now when the value is at hand, else once it is. */
export function then<T, R>(value: Maybe<T>, f: (value: T) => Maybe<R>): Maybe<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * For callback-style Fastify hooks: `onValue(value)`, now or once it is there; `onError` (the
 * hook's `done`) gets a rejection or what `onValue` throws later (Fastify catches a throw now).
 */
export function settle<T>(value: Maybe<T>, onValue: (value: T) => void, onError: (err: Error) => void): void {
  if (!(value instanceof Promise)) return onValue(value);
  value.then((v) => {
    try {
      onValue(v);
    } catch (err) {
      onError(err as Error);
    }
  }, onError);
}
