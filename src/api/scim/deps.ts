// What the SCIM face's routes are given.
import type { FaceDeps } from '../../http/face/deps.ts';

export interface ScimDeps extends FaceDeps {
  /** The absolute base of resource locations: ROSTER_PUBLIC_URL + /scim/v2. */
  base: string;
}
