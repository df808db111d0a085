// OnCall's names for Roster's roles (docs/compat/decisions.md#roles-across-faces).
import type { Role } from '../../role-names.ts';

/** None is not an OnCall user at all. */
export const ONCALL_ROLE: Record<Role, 'admin' | 'user' | 'observer' | null> = {
  Admin: 'admin',
  Editor: 'user',
  Viewer: 'observer',
  None: null,
};
