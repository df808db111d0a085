// The ordered list of migrations. Forward-only: never edit one that has shipped; add the next.
import type { Migration } from './helpers.ts';
import * as identity from './0001-identity.ts';
import * as posthog from './0003-posthog.ts';

export const MIGRATIONS: Migration[] = [
  { name: '0001-identity', up: identity.up },
  { name: '0003-posthog', up: posthog.up },
];
