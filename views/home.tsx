/** The signed-in home page: the business at a glance. */
import type { StaffSession } from '../src/auth/sessions'
import { Layout } from './layout'

export function HomePage({ session, counts }: { session: StaffSession; counts: { lead: number; active: number; inactive: number } }) {
  const total = counts.lead + counts.active + counts.inactive
  return (
    <Layout title="Home" session={session} active="home">
      <h1 data-testid="business-name">{session.organization.name}</h1>
      <p class="muted">Signed in as {session.email} ({session.role}) · times shown in {session.organization.timezone}</p>
      <div class="tiles">
        <a class="tile" href="/app/clients"><span class="tile-n">{total}</span><span>clients</span></a>
        <a class="tile" href="/app/clients?status=active"><span class="tile-n">{counts.active}</span><span>active</span></a>
        <a class="tile" href="/app/clients?status=lead"><span class="tile-n">{counts.lead}</span><span>leads</span></a>
        <a class="tile" href="/app/clients?status=inactive"><span class="tile-n">{counts.inactive}</span><span>inactive</span></a>
      </div>
    </Layout>
  )
}
