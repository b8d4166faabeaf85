/** The operator console's shell: the staff pages' look with a header and nav of its own (Businesses, Tickets, Announcements, Plans). */
import type { Context } from 'hono'
import { jsxRenderer } from 'hono/jsx-renderer'
import type { StaffSession } from '../../src/auth/sessions'
import type { AppEnv } from '../../src/env'
import { CsrfField, Shell } from '../layout'

/** The console's sections, in the nav's order; the current one is found from the path. */
const CONSOLE_NAV = [
  { href: '/admin', label: 'Businesses' },
  { href: '/admin/tickets', label: 'Tickets' },
  { href: '/admin/announcements', label: 'Announcements' },
  { href: '/admin/plans', label: 'Plans' },
] as const

/** The section a console path belongs to: /admin/organizations/… is Businesses. */
export function consoleSection(path: string): string {
  const found = CONSOLE_NAV.slice(1).find((item) => path === item.href || path.startsWith(`${item.href}/`))
  return found?.href ?? '/admin'
}

/**
 * Renders every page under /admin (`c.render(<Page />, { title })`): the console header instead
 * of the business's, and htmx sends the operator's CSRF token as on staff pages.
 */
export const consoleRenderer = jsxRenderer<AppEnv>(
  ({ children, title, styles, scripts }, c) => {
    const ctx = c as Context<AppEnv>
    const session = ctx.get('session')
    return (
      <Shell
        title={`${title} · HomeBase console`}
        htmx
        styles={['/admin.css', ...(styles ?? [])]}
        scripts={scripts}
        csrfToken={session?.csrfToken}
        header={session ? <ConsoleHeader session={session} current={consoleSection(ctx.req.path)} /> : undefined}
      >
        {children}
      </Shell>
    )
  },
  { docType: false },
)

function ConsoleHeader({ session, current }: { session: StaffSession; current: string }) {
  return (
    <header class="topbar">
      <a class="brand" href="/admin">
        HomeBase console
      </a>
      <span class="org-name" data-testid="operator">
        {session.email}
      </span>
      {/* Phones open the menu; wide screens show the same links as a bar. */}
      <details class="nav-toggle">
        <summary aria-label="Menu">Menu</summary>
        <ConsoleNav class="nav" current={current} />
      </details>
      <form method="post" action="/logout" class="logout">
        <CsrfField />
        <button type="submit" class="link">
          Log out
        </button>
      </form>
      <ConsoleNav class="nav-wide" current={current} />
    </header>
  )
}

function ConsoleNav(props: { class: string; current: string }) {
  return (
    <nav class={props.class} aria-label="Console">
      {CONSOLE_NAV.map((item) => (
        <a href={item.href} aria-current={item.href === props.current ? 'page' : undefined}>
          {item.label}
        </a>
      ))}
      <a href="/app">Your business</a>
    </nav>
  )
}
