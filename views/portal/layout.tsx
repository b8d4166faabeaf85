/** The homeowner portal's pages: the one shell (views/layout.tsx), small, phone-first, with its own stylesheet. */
import type { Child } from 'hono/jsx'
import { Shell } from '../layout'

export type PortalLayoutProps = { title: string; children?: Child; signedIn?: { csrf: string } | null }

/** A portal page: nothing but the page itself and, for a signed-in homeowner, "Sign out". */
export function PortalLayout({ title, children, signedIn }: PortalLayoutProps) {
  return (
    <Shell title={title} stylesheet="/portal.css" unlisted skipLink header={<PortalHeader signedIn={signedIn} />}>
      {children}
    </Shell>
  )
}

function PortalHeader({ signedIn }: { signedIn?: { csrf: string } | null }) {
  return (
    <header class="bar">
      <span class="logo">HomeBase</span>
      {signedIn ? (
        <form method="post" action="/p/me/logout" class="signout">
          <input type="hidden" name="_csrf" value={signedIn.csrf} />
          <button type="submit" class="link">
            Sign out
          </button>
        </form>
      ) : null}
    </header>
  )
}

/** A short page with a heading, some sentences and optional actions: expired links, errors, "sent". */
export function MessagePage({
  title,
  lines,
  children,
  signedIn,
}: {
  title: string
  lines: string[]
  children?: Child
  signedIn?: { csrf: string } | null
}) {
  return (
    <PortalLayout title={title} signedIn={signedIn}>
      <section class="card">
        <h1>{title}</h1>
        {lines.map((l) => (
          <p>{l}</p>
        ))}
        {children}
      </section>
    </PortalLayout>
  )
}

/** The hidden CSRF field of a signed-in homeowner's forms; nothing for a link (the link is the permission). */
export const PortalCsrf = ({ csrf }: { csrf: string | null }) =>
  csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null
