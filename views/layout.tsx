/** The page shell: head, nav and main column. Every /app page and the sign-in pages use it. */
import type { Child } from 'hono/jsx'
import type { StaffSession } from '../src/auth/sessions'

export type Section = 'home' | 'clients' | 'schedule' | 'invoices' | 'journeys' | 'campaigns' | 'reviews' | 'integrations' | 'settings'

/** The sections of the app; those without a page yet show in the nav as "soon". */
const NAV: Array<{ id: Section; label: string; href?: string }> = [
  { id: 'home', label: 'Home', href: '/app' },
  { id: 'clients', label: 'Clients', href: '/app/clients' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'invoices', label: 'Invoices' },
  { id: 'journeys', label: 'Journeys' },
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'reviews', label: 'Reviews' },
  { id: 'integrations', label: 'Integrations' },
  { id: 'settings', label: 'Settings', href: '/app/settings' },
]

export type LayoutProps = { title: string; session?: StaffSession | null; active?: Section; children?: Child }

export function Layout({ title, session, active, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · HomeBase`}</title>
        <link rel="stylesheet" href="/app.css" />
        <script src="/vendor/htmx.min.js" defer></script>
      </head>
      <body hx-headers:inherited={session ? JSON.stringify({ 'X-CSRF-Token': session.csrfToken }) : undefined}>
        {session ? <AppHeader session={session} active={active} /> : <PublicHeader />}
        <main class="main">{children}</main>
      </body>
    </html>
  )
}

function PublicHeader() {
  return (
    <header class="topbar">
      <a class="brand" href="/">HomeBase</a>
    </header>
  )
}

function AppHeader({ session, active }: { session: StaffSession; active?: Section }) {
  return (
    <header class="topbar">
      <a class="brand" href="/app">HomeBase</a>
      <span class="org-name" data-testid="org-name">{session.organization.name}</span>
      <details class="nav-toggle">
        <summary aria-label="Menu">Menu</summary>
        <nav class="nav" aria-label="Main">
          {NAV.map((item) =>
            item.href ? (
              <a href={item.href} aria-current={item.id === active ? 'page' : undefined}>{item.label}</a>
            ) : (
              <span class="nav-soon" aria-disabled="true" title="Coming soon">{item.label}</span>
            ),
          )}
        </nav>
      </details>
      <form method="post" action="/logout" class="logout">
        <input type="hidden" name="_csrf" value={session.csrfToken} />
        <button type="submit" class="link">Log out</button>
      </form>
    </header>
  )
}

/** A form field with its label and, when validation failed, its error beside it. */
export function Field(props: { label: string; name: string; type?: string; value?: string; error?: string; required?: boolean; autocomplete?: string }) {
  const id = `f-${props.name}`
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? 'text'} value={props.value} required={props.required} autocomplete={props.autocomplete}
        aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? `${id}-error` : undefined} />
      {props.error ? <p class="error" id={`${id}-error`}>{props.error}</p> : null}
    </div>
  )
}

/** The hidden CSRF field every signed-in form carries. */
export const Csrf = ({ session }: { session: StaffSession }) => <input type="hidden" name="_csrf" value={session.csrfToken} />
