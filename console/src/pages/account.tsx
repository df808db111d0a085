// The signed-in user's own page: who they are, their contact data and their personal API keys.
import { useSession } from '../session.tsx';
import { PersonalKeysSection } from './personal-keys.tsx';
import { ContactSection } from './user-contact.tsx';

export function AccountPage() {
  const { me } = useSession();
  return (
    <>
      <div class="title-row">
        <h1>Your account</h1>
        <div class="title-actions">{me.isGrafanaAdmin && <span class="badge">server admin</span>}</div>
      </div>
      <dl class="facts">
        <dt>Login</dt>
        <dd>{me.login}</dd>
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Name</dt>
        <dd>{me.name || '—'}</dd>
      </dl>
      <ContactSection userId={me.id} canVerify={me.isGrafanaAdmin} />
      <PersonalKeysSection />
    </>
  );
}
