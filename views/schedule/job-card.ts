/**
 * One job on the calendar: its time, client and service linking to the job page, its crew, an
 * overlap warning and "Move". A busy week has hundreds, so cards are built as strings, every value
 * escaped here, and each person's crew dot is built once per page.
 */
import { raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { words } from '../format'
import type { CalendarJob } from './calendar-job'
import { LEFT_TEAM, type Person } from './people'

/** What every card needs besides its job: the team by id, the job just moved or booked (highlighted), and what was built already. */
export type CardContext = {
  people: Map<string, Person>
  highlight?: string | undefined
  /** Crew markup by crew (user ids joined), built once per page. */
  crews?: Map<string, string>
}

const SPECIAL = /[&<>"']/
const SPECIALS = /[&<>"']/g
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text or an attribute value made safe for HTML, as hono/jsx escapes it. */
export const esc = (s: string) => (SPECIAL.test(s) ? s.replace(SPECIALS, (ch) => ENTITY[ch]!) : s)

/** Whether a job can still be moved (a finished or cancelled one cannot). */
export const movable = (job: CalendarJob) => job.status !== 'completed' && job.status !== 'cancelled'

/** The colour a card is drawn in: its first crew member's, grey when nobody works it. */
export const cardColor = (job: CalendarJob, ctx: CardContext) =>
  job.crew.length === 0 ? '#94a3b8' : (ctx.people.get(job.crew[0]!) ?? LEFT_TEAM).color

/** The crew as coloured initials, each with the person's name for screen readers and on hover. */
export function crewHtml(ids: string[], ctx: CardContext): string {
  if (ids.length === 0) return ''
  ctx.crews ??= new Map()
  const key = ids.join(' ')
  let html = ctx.crews.get(key)
  if (html === undefined) {
    html = '<span class="job-crew" data-testid="crew">'
    for (const id of ids) {
      const p = ctx.people.get(id) ?? LEFT_TEAM
      const name = esc(p.name)
      html += `<span class="crew-dot" style="background:${esc(p.color)}" title="${name}">${esc(p.initials)}<span class="visually-hidden"> ${name}</span></span>`
    }
    html += '</span>'
    ctx.crews.set(key, html)
  }
  return html
}

export type CardOptions = {
  /** The element and its own classes: `article` on the grid, `li` in lists. */
  tag: 'article' | 'li'
  kind: string
  /** Placement on the grid (custom properties), and classes of its edges. */
  style?: string
  edge?: string
  /** Replaces the start time ("9:00 AM – 10:30 AM"). */
  time?: string
  /** The month's one-line cards: no service, no crew, a short warning. */
  short?: boolean
}

/** A job's card: the link to its page, its crew, the overlap warning and, while it can move, "Move" and dragging. */
export function cardHtml(job: CalendarJob, ctx: CardContext, o: CardOptions): string {
  const moves = movable(job)
  const id = esc(job.id)
  const flags = `${o.edge ?? ''}${job.overlaps ? ' has-overlap' : ''}${job.id === ctx.highlight ? ' is-new' : ''}`
  let html = `<${o.tag} class="job-chip ${o.kind} job-${job.status}${flags}" data-job="${id}" data-local="${job.local}"`
  if (moves && o.kind !== 'agenda-job') html += ' draggable="true"'
  if (o.style) html += ` style="${esc(o.style)}"`
  html += `><a class="job-link" href="/app/jobs/${id}" draggable="false"><span class="job-time">${o.time ?? job.time}</span> <span class="job-client">${esc(job.client)}</span>`
  if (!o.short) {
    const meta = `${job.service ?? 'Job'}${job.status === 'scheduled' ? '' : ` · ${words(job.status)}`}`
    html += ` <span class="job-meta">${esc(meta)}</span></a>${crewHtml(job.crew, ctx)}`
  } else html += '</a>'
  // "Overlaps" stays visible on the smallest card; the rest of the sentence shows where there is room.
  if (job.overlaps)
    html += `<span class="job-overlap" data-testid="overlap">Overlaps${o.short ? '' : '<span class="overlap-more"> another job of the crew</span>'}</span>`
  if (moves) html += '<button type="button" class="job-move" data-move>Move</button>'
  return `${html}</${o.tag}>`
}

/** Cards as one piece of HTML for a JSX page (each value was escaped as the card was built). */
export const cards = (html: string): HtmlEscapedString => raw(html) as HtmlEscapedString
