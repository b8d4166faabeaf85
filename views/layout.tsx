/**
 * The one page shell (head, header, main) and the renderer of HomeBase's own pages: staff pages
 * under /app with the nav, and the sign-in pages. The portal, the review funnel, the outbox and
 * the error pages use the same shell with their own header (views/portal/layout.tsx, …).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import { jsxRenderer, RequestContext, useRequestContext } from 'hono/jsx-renderer'
import type { StaffSession } from '../src/auth/sessions'
import type { AppEnv } from '../src/env'

export type Section =
  | 'home'
  | 'clients'
  | 'leads'
  | 'estimates'
  | 'accounts'
  | 'assistant'
  | 'inbox'
  | 'schedule'
  | 'invoices'
  | 'services'
  | 'journeys'
  | 'campaigns'
  | 'reviews'
  | 'integrations'
  | 'settings'
  | 'support'

/** What a handler tells the renderer with `c.render(<Page />, props)`: the title, the nav section of a staff page, and its own stylesheets and scripts. */
export type PageProps = { title: string; active?: Section; styles?: string[]; scripts?: string[] }

/** The sections of the app; those without a page yet show in the nav as "soon". */
const NAV: Array<{ id: Section; label: string; href?: string }> = [
  { id: 'home', label: 'Home', href: '/app' },
  { id: 'leads', label: 'Leads', href: '/app/leads' },
  { id: 'clients', label: 'Clients', href: '/app/clients' },
  { id: 'estimates', label: 'Estimates', href: '/app/estimates' },
  { id: 'accounts', label: 'Accounts', href: '/app/accounts' },
  { id: 'inbox', label: 'Inbox', href: '/app/inbox' },
  { id: 'schedule', label: 'Schedule', href: '/app/schedule' },
  { id: 'invoices', label: 'Invoices', href: '/app/invoices' },
  { id: 'services', label: 'Services', href: '/app/services' },
  { id: 'journeys', label: 'Journeys', href: '/app/journeys' },
  { id: 'campaigns', label: 'Campaigns', href: '/app/campaigns' },
  { id: 'reviews', label: 'Reviews', href: '/app/reviews' },
  { id: 'integrations', label: 'Integrations', href: '/app/integrations' },
  { id: 'settings', label: 'Settings', href: '/app/settings' },
  { id: 'support', label: 'Help', href: '/app/support' },
]

export type ShellProps = {
  /** The whole document title, as the browser tab shows it. */
  title: string
  /** The stylesheet; null for a page that styles itself (the printable QR card). */
  stylesheet?: '/app.css' | '/portal.css' | null
  /** Styles of this page alone, inlined. */
  css?: string
  /** Loads htmx (staff and sign-in pages). */
  htmx?: boolean
  /** Stylesheets and deferred scripts of this page alone, after the shared ones (the schedule's calendar). */
  styles?: string[]
  scripts?: string[]
  /** Sent by htmx with every request of a signed-in staff page. */
  csrfToken?: string
  /** A page whose link is the permission: kept out of search engines and Referer headers. */
  unlisted?: boolean
  /** The bar above the page: StaffHeader, BrandHeader or PortalHeader. */
  header?: Child
  /** The portal's "Skip to content" link and focusable <main>. */
  skipLink?: boolean
  /** The class of <main>; false puts the page straight into <body>. */
  main?: string | false
  children?: Child
}

/** Every HTML page HomeBase serves, whoever it is for. */
export function Shell(p: ShellProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {p.unlisted ? (
            <>
              <meta name="robots" content="noindex" />
              <meta name="referrer" content="no-referrer" />
            </>
          ) : null}
          <title>{p.title}</title>
          {p.stylesheet === null ? null : <link rel="stylesheet" href={p.stylesheet ?? '/app.css'} />}
          {p.css ? <style dangerouslySetInnerHTML={{ __html: p.css }} /> : null}
          {p.styles?.map((href) => (
            <link rel="stylesheet" href={href} />
          ))}
          {p.htmx ? <script src="/vendor/htmx.min.js" defer></script> : null}
          {p.scripts?.map((src) => (
            <script src={src} defer></script>
          ))}
        </head>
        <body hx-headers:inherited={p.csrfToken ? JSON.stringify({ 'X-CSRF-Token': p.csrfToken }) : undefined}>
          {p.skipLink ? (
            <a class="skip" href="#main">
              Skip to content
            </a>
          ) : null}
          {p.header}
          {p.main === false ? (
            p.children
          ) : p.skipLink ? (
            <main id="main" tabindex={-1}>
              {p.children}
            </main>
          ) : (
            <main class={p.main ?? 'main'}>{p.children}</main>
          )}
        </body>
      </html>
    </>
  )
}

/**
 * HomeBase's own pages: `c.render(<Page />, { title, active })`. Signed in (every /app page), the
 * header shows the business, the nav and "Log out", and htmx sends the session's CSRF token;
 * otherwise (sign-in pages, unsubscribe) just the brand.
 */
export const pageRenderer = jsxRenderer<AppEnv>(
  ({ children, title, active, styles, scripts }, c) => {
    const session = (c as Context<AppEnv>).get('session')
    return (
      <Shell
        title={`${title} · HomeBase`}
        htmx
        styles={styles}
        scripts={scripts}
        csrfToken={session?.csrfToken}
        header={session ? <StaffHeader session={session} active={active} /> : <BrandHeader href="/" />}
      >
        {children}
      </Shell>
    )
  },
  { docType: false },
)

/** An htmx answer: a part of a page, rendered with the request's context (session, CSRF token) but without the shell. */
export function fragment(c: Context<AppEnv>, part: Child, status?: ContentfulStatusCode) {
  return c.html(<RequestContext.Provider value={c}>{part}</RequestContext.Provider>, status)
}

/** The signed-in staff member of the page being rendered (every page under /app has one). */
export function useSession(): StaffSession {
  const session = useRequestContext<AppEnv>().get('session')
  if (!session) throw new Error('useSession() is only for pages under /app, which always have a session')
  return session
}

/** True for owners and admins, who may change how the business works. */
export function useCanManage(): boolean {
  const { role } = useSession()
  return role === 'owner' || role === 'admin'
}

/** The hidden CSRF field every signed-in form carries. */
export const CsrfField = () => <input type="hidden" name="_csrf" value={useSession().csrfToken} />

/** The brand bar of pages for people who are not signed in: HomeBase (a link when `href`), or a business's name. */
export function BrandHeader({ href, name = 'HomeBase', note }: { href?: string; name?: string; note?: string }) {
  return (
    <header class="topbar">
      {href ? (
        <a class="brand" href={href}>
          {name}
        </a>
      ) : (
        <span class="brand">{name}</span>
      )}
      {note ? <span class="org-name">{note}</span> : null}
    </header>
  )
}

function StaffHeader({ session, active }: { session: StaffSession; active?: Section }) {
  return (
    <header class="topbar">
      <a class="brand" href="/app">
        HomeBase
      </a>
      <span class="org-name" data-testid="org-name">
        {session.organization.name}
      </span>
      {/* Phones open the menu; wide screens show the same links as a bar (a closed <details> hides its content). */}
      <details class="nav-toggle">
        <summary aria-label="Menu">Menu</summary>
        <NavLinks class="nav" active={active} />
      </details>
      <form method="post" action="/logout" class="logout">
        <CsrfField />
        <button type="submit" class="link">
          Log out
        </button>
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
            {item.label}
            {item.id === 'reviews' ? (
              <>
                {' '}
                <span hx-get="/app/reviews/badge" hx-trigger="load"></span>
              </>
            ) : null}
            {item.id === 'inbox' ? (
              <>
                {' '}
                <span hx-get="/app/inbox/badge" hx-trigger="load"></span>
              </>
            ) : null}
          </a>
        ) : (
          <span class="nav-soon" aria-disabled="true" title="Coming soon">
            {item.label}
          </span>
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
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        inputmode={props.inputmode}
        min={props.min}
        max={props.max}
        step={props.step}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}
