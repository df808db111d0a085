// The actor of something a person does before they have a session (a sign-in, a password
// reset): once the request names their account, the audit trail records it as theirs.
import type { Principal } from './principal.ts';

export function selfActor(user: { id: number; login: string }, via?: Principal['via']): Principal {
  return { kind: 'user', userId: user.id, serviceAccountId: null, tokenId: null, login: user.login, orgId: -1, role: null, isServerAdmin: false, via };
}
