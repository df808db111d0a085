// Verified Basic credentials, so Basic auth is not a KDF per request (http/auth.ts uses it).
import { hash } from 'node:crypto';

/** `login` as typed (a login or an email), the memo key of the user row it names. */
export interface VerifiedPassword {
  login: string;
  userId: number;
  passwordHash: string;
  expires: number;
}

/**
 * Remembers verified Basic credentials for a short while, keyed by a hash of the credential as
 * sent (base64 of login:password), so a repeated request is recognised without decoding it
 * again; an entry is valid only while the user's stored hash is unchanged (the caller checks).
 *
 * A client sending many requests at once with the same credential would find its entry gone at
 * the same moment for all of them (every `ttlMs`): a use near its end renews it in the background
 * (`renewalDue`), and `verifyOnce` lets requests share one verification instead of each running
 * the KDF (scrypt, tens of ms of a core each).
 */
export class VerifiedPasswords<R> {
  private entries = new Map<string, VerifiedPassword>();
  private running = new Map<string, Promise<R>>();
  constructor(
    private ttlMs = 60_000,
    private max = 10_000,
  ) {}

  key(encoded: string): string {
    return hash('sha256', encoded, 'base64');
  }

  get(key: string): VerifiedPassword | undefined {
    const e = this.entries.get(key);
    if (!e || e.expires < Date.now()) return undefined;
    return e;
  }

  /** Whether `entry` is in the last sixth of its life (the last 10 s of 60), when a use renews it. */
  renewalDue(entry: VerifiedPassword, now = Date.now()): boolean {
    return entry.expires - now < this.ttlMs / 6;
  }

  set(key: string, login: string, userId: number, passwordHash: string): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { login, userId, passwordHash, expires: Date.now() + this.ttlMs });
  }

  /**
   * Runs `verify` for `flight`, or joins the run already under way for it. `flight` must hold
   * everything the verification depends on (the credential and the client address, which the
   * login throttle judges). A joined run that did not `succeed` is run again for this caller:
   * every failed attempt counts against the throttle as before, only successes are shared.
   */
  verifyOnce(flight: string, verify: () => Promise<R>, succeeded: (r: R) => boolean): Promise<R> {
    const under = this.running.get(flight);
    if (under) return under.then((r) => (succeeded(r) ? r : verify()));
    const run = verify().finally(() => this.running.delete(flight));
    this.running.set(flight, run);
    return run;
  }
}
