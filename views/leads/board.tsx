/**
 * The pipeline board: a column per status with its count and value, each lead a card with a small
 * form to move it (public/leads.js submits the same form when a card is dropped on a column).
 */
import type { BoardColumn, LeadCard } from '../../durable-objects/org/sales/leads/board'
import { leadName } from '../../durable-objects/org/sales/leads/leads'
import { moneyRounded } from '../format'
import { CsrfField } from '../layout'
import { FollowUp, type LeadsContext, LeadsHead, OwnerDot } from './parts'

/** A column's head: its name in its colour, how many leads and what they are worth; swapped after a move. */
export function ColumnHead({ column }: { column: Pick<BoardColumn, 'status' | 'count' | 'value_cents'> }) {
  const { status, count, value_cents } = column
  return (
    <header class="col-head" id={`head-${status.id}`}>
      <h2 id={`name-${status.id}`}>
        <span class="status-dot" style={`background:${status.color}`} aria-hidden="true"></span>
        {status.name}
      </h2>
      <p class="col-sum">
        <span data-testid="col-count">{count}</span> {count === 1 ? 'lead' : 'leads'} ·{' '}
        <span data-testid="col-value">{moneyRounded(value_cents)}</span>
      </p>
    </header>
  )
}

/** A refused move (4xx) swaps the card for the answer, which is the card with the reason. */
const REFUSED = { 'hx-status:4xx': 'swap:outerHTML' }

/**
 * A lead's card: name, company, interest, value, follow-up and owner, and its status form. With
 * htmx the form deletes this card and the answer puts the moved card at the top of its new column;
 * a refused move (4xx) comes back as this card with the reason.
 */
export function BoardCard({
  lead,
  statusId,
  ctx,
  error,
}: {
  lead: LeadCard
  statusId: string
  ctx: LeadsContext
  error?: string
}) {
  const name = leadName(lead)
  const action = `/app/leads/${lead.id}/status`
  const owner = lead.assigned_to ? ctx.team.find((p) => p.id === lead.assigned_to) : undefined
  return (
    <li class="lead-card" id={`lead-${lead.id}`} data-lead={lead.id} data-status={statusId} draggable="true">
      <a class="lead-name" href={`/app/leads/${lead.id}`}>
        {name}
      </a>
      {lead.company ? <span class="lead-company">{lead.company}</span> : null}
      {lead.service_interest ? <span class="lead-interest">{lead.service_interest}</span> : null}
      <span class="lead-meta">
        {lead.estimated_value_cents !== null ? (
          <span class="lead-value">{moneyRounded(lead.estimated_value_cents)}</span>
        ) : null}
        <FollowUp at={lead.next_follow_up_at} ctx={ctx} />
        <OwnerDot person={owner} />
      </span>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <form
        class="lead-move"
        method="post"
        action={action}
        hx-post={action}
        hx-target="closest .lead-card"
        hx-swap="delete"
        {...REFUSED}
      >
        <CsrfField />
        <input type="hidden" name="from" value={statusId} />
        <label class="visually-hidden" for={`move-${lead.id}`}>
          Status of {name}
        </label>
        <select id={`move-${lead.id}`} name="status_id">
          {ctx.statuses.map((s) => (
            <option value={s.id} selected={s.id === statusId}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit">Move</button>
      </form>
    </li>
  )
}

/** How many cards a column shows before "+N more". */
export const CARDS_PER_COLUMN = 50

/** The board page: every status in the pipeline's order, converted leads left off. */
export function BoardPage({ columns, ctx, notice }: { columns: BoardColumn[]; ctx: LeadsContext; notice?: string }) {
  return (
    <>
      <LeadsHead view="board" />
      <p id="board-status" class={notice ? 'notice' : 'board-status'} role="status" data-testid="board-status">
        {notice}
      </p>
      <p class="muted small board-help">
        Drag a card to another column, or pick its status and press Move. Converted leads are on their client's page.
      </p>
      <div class="board" data-testid="board">
        {columns.map((col) => (
          <section
            class="board-col"
            id={`col-${col.status.id}`}
            data-drop-status={col.status.id}
            aria-labelledby={`name-${col.status.id}`}
          >
            <ColumnHead column={col} />
            <ol class="lead-cards" id={`cards-${col.status.id}`}>
              {col.leads.map((lead) => (
                <BoardCard lead={lead} statusId={col.status.id} ctx={ctx} />
              ))}
              <li class="col-empty muted small">No leads</li>
            </ol>
            {col.count > col.leads.length ? (
              <a class="col-more" href={`/app/leads?view=list&status_id=${encodeURIComponent(col.status.id)}`}>
                +{col.count - col.leads.length} more
              </a>
            ) : null}
          </section>
        ))}
      </div>
    </>
  )
}

/** What a move answers htmx with: the card at the top of its new column, both columns' heads, and the words for the status line. */
export function MovedAnswer(p: { card: LeadCard; to: BoardColumn; from: BoardColumn | undefined; ctx: LeadsContext }) {
  return (
    <>
      <hx-partial hx-target={`#cards-${p.to.status.id}`} hx-swap="afterbegin">
        <BoardCard lead={p.card} statusId={p.to.status.id} ctx={p.ctx} />
      </hx-partial>
      {p.from && p.from.status.id !== p.to.status.id ? (
        <hx-partial hx-target={`#head-${p.from.status.id}`} hx-swap="outerHTML">
          <ColumnHead column={p.from} />
        </hx-partial>
      ) : null}
      <hx-partial hx-target={`#head-${p.to.status.id}`} hx-swap="outerHTML">
        <ColumnHead column={p.to} />
      </hx-partial>
      <hx-partial hx-target="#board-status" hx-swap="textContent">
        Moved {leadName(p.card)} to {p.to.status.name}.
      </hx-partial>
    </>
  )
}
