// The signed-in user's own page: who they are, their orgs, password, contact data, personal API keys, two-factor authentication and sessions.
import { useSession } from '../session.tsx';
import { Empty } from '../ui/bits.tsx';
import { ChangePasswordSection } from './account-password.tsx';
import { ProfileSection } from './account-profile.tsx';
import { PersonalKeysSection } from './personal-keys.tsx';
import { ContactSection } from './user-contact.tsx';
import { SessionsSection } from './sessions.tsx';
import { TwoFactorSection } from './two-factor.tsx';

export function AccountPage() {
  const { me, orgs } = useSession();
  return (
    <>
      <div class="title-row">
        <h1>Your account</h1>
        <div class="title-actions">{me.isGrafanaAdmin && <span class="badge">server admin</span>}</div>
      </div>
      <ProfileSection />
      <section aria-labelledby="orgs-heading">
        <h2 id="orgs-heading">Your organizations</h2>
        {orgs.length === 0 ? (
          <Empty>You belong to no organization yet: ask an organization's admin to add you.</Empty>
        ) : (
          <ul class="user-orgs">
            {orgs.map((o) => (
              <li key={o.orgId}>
                <a href={`/orgs/${o.orgId}`}>{o.name}</a> <span class="badge">{o.role}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ContactSection userId={me.id} canVerify={me.isGrafanaAdmin} />
      <PersonalKeysSection />
      <ChangePasswordSection />
      <TwoFactorSection orgName={(id) => orgs.find((o) => o.orgId === id)?.name ?? `Organization ${id}`} />
      <SessionsSection />
    </>
  );
}
