/** The page shell: head, nav and main column. Every /app page and the sign-in pages use it. */
import type { Child } from 'hono/jsx'
import type { StaffSession } from '../src/auth/sessions'

export type Section = 'home' | 'clients' | 'schedule' | 'invoices' | 'services' | 'journeys' | 'campaigns' | 'reviews' | 'integrations' | 'settings'

/** The sections of the app; those without a page yet show in the nav as "soon". */
const NAV: Array<{ id: Section; label: string; href?: string }> = [
  { id: 'home', label: 'Home', href: '/app' },
  { id: 'clients', label: 'Clients', href: '/app/clients' },
  { id: 'schedule', label: 'Schedule', href: '/app/schedule' },
  { id: 'invoices', label: 'Invoices', href: '/app/invoices' },
  { id: 'services', label: 'Services', href: '/app/services' },
  { id: 'journeys', label: 'Journeys', href: '/app/journeys' },
  { id: 'campaigns', label: 'Campaigns', href: '/app/campaigns' },
  { id: 'reviews', label: 'Reviews', href: '/app/reviews' },
  { id: 'integrations', label: 'Integrations', href: '/app/integrations' },
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
      {/* Phones open the menu; wide screens show the same links as a bar (a closed <details> hides its content). */}
      <details class="nav-toggle">
        <summary aria-label="Menu">Menu</summary>
        <NavLinks class="nav" active={active} />
      </details>
      <form method="post" action="/logout" class="logout">
        <input type="hidden" name="_csrf" value={session.csrfToken} />
        <button type="submit" class="link">Log out</button>
      </form>
      <NavLinks class="nav-wide" active={active} />
    </header>
  )
}

function NavLinks(props: { class: string; active?: Section }) {
  return (
    <nav class={props.class} aria-label="Main">
      {NAV.map((item) =>
        item.href ? (
          <a href={item.href} aria-current={item.id === props.active ? 'page' : undefined}>
            {item.label}{item.id === 'reviews' ? <> <span hx-get="/app/reviews/badge" hx-trigger="load"></span></> : null}
          </a>
        ) : (
          <span class="nav-soon" aria-disabled="true" title="Coming soon">{item.label}</span>
        ),
      )}
    </nav>
  )
}

export type FieldProps = {
  label: string
  name: string
  type?: string
  value?: string
  error?: string
  required?: boolean
  autocomplete?: string
  /** Defaults to `f-{name}`; give one when a page has two fields of the same name. */
  id?: string
  hint?: string
  placeholder?: string
  inputmode?: 'text' | 'decimal' | 'numeric' | 'tel' | 'email' | 'search'
  min?: string
  max?: string
  step?: string
  maxlength?: number
}

/** A form field with its label and, when validation failed, its error beside it. */
export function Field(props: FieldProps) {
  const id = props.id ?? `f-${props.name}`
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <input id={id} name={props.name} type={props.type ?? 'text'} value={props.value} required={props.required} autocomplete={props.autocomplete}
        placeholder={props.placeholder} inputmode={props.inputmode} min={props.min} max={props.max} step={props.step} maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined} aria-describedby={described || undefined} />
      {props.hint ? <p class="hint" id={`${id}-hint`}>{props.hint}</p> : null}
      {props.error ? <p class="error" id={`${id}-error`}>{props.error}</p> : null}
    </div>
  )
}

/** The hidden CSRF field every signed-in form carries. */
export const Csrf = ({ session }: { session: StaffSession }) => <input type="hidden" name="_csrf" value={session.csrfToken} />
