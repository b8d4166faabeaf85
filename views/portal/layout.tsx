/** The homeowner portal's page shell: small, phone-first, a skip link, its own stylesheet. */
import type { Child } from 'hono/jsx'

export type PortalLayoutProps = { title: string; children?: Child; signedIn?: { csrf: string } | null }

/** A portal page: nothing but the page itself and, for a signed-in homeowner, "Sign out". */
export function PortalLayout({ title, children, signedIn }: PortalLayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        <link rel="stylesheet" href="/portal.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="bar">
          <span class="logo">HomeBase</span>
          {signedIn ? (
            <form method="post" action="/p/me/logout" class="signout">
              <input type="hidden" name="_csrf" value={signedIn.csrf} />
              <button type="submit" class="link">Sign out</button>
            </form>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>{children}</main>
      </body>
    </html>
  )
}

/** A short page with a heading, some sentences and optional actions: expired links, errors, "sent". */
export function MessagePage({ title, lines, children, signedIn }: { title: string; lines: string[]; children?: Child; signedIn?: { csrf: string } | null }) {
  return (
    <PortalLayout title={title} signedIn={signedIn}>
      <section class="card">
        <h1>{title}</h1>
        {lines.map((l) => <p>{l}</p>)}
        {children}
      </section>
    </PortalLayout>
  )
}

/** The hidden CSRF field of a signed-in homeowner's forms; nothing for a link (the link is the permission). */
export const PortalCsrf = ({ csrf }: { csrf: string | null }) => (csrf ? <input type="hidden" name="_csrf" value={csrf} /> : null)
