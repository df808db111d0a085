// What a face's routes are given: the context, the authenticator and rate limit (for admission),
// the memos they read through, and the public URL their links start with.
import type { Ctx } from '../../domain/context.ts';
import type { Authenticator } from '../auth.ts';
import type { Memos } from '../memo/memos.ts';
import type { RateLimiter } from '../rate-limit.ts';

export interface FaceDeps {
  ctx: Ctx;
  auth: Authenticator;
  /** The per-credential request budget, counted once the caller is known. */
  limiter: RateLimiter;
  memos: Memos;
  /** ROSTER_PUBLIC_URL without a trailing slash: the base of absolute pagination links. */
  publicUrl: string;
}

/** Just the deps, for registering route plugins: never the face's own options (its prefix). */
export function depsOf({ ctx, auth, limiter, memos, publicUrl }: FaceDeps): FaceDeps {
  return { ctx, auth, limiter, memos, publicUrl };
}
