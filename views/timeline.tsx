/** A client's timeline: jobs, invoices, payments, notes and other events, newest first, in plain words. */
import type { TimelineItem } from '../durable-objects/org/reports'
import type { FlatData } from '../durable-objects/org/schema'
import { dateTime, longDate, money, stamp, words } from './format'

const str = (d: FlatData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '')
const num = (d: FlatData, k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0)

/** One line describing what happened, with a link to the thing when it has a page. */
function describe(item: TimelineItem, tz: string) {
  const d = item.data
  switch (item.type) {
    case 'job':
      return <>Job booked for <a href={`/app/jobs/${item.id}`}>{dateTime(str(d, 'start_at'), tz)}</a></>
    case 'invoice':
      return <>Invoice <a href={`/app/invoices/${item.id}`}>#{num(d, 'number')}</a> for {money(num(d, 'total_cents'))}, due {longDate(str(d, 'due_date'))}</>
    case 'payment':
      return <>Payment of {money(num(d, 'amount_cents'))} {str(d, 'status') === 'succeeded' ? 'received' : str(d, 'status')}{str(d, 'method') ? ` (${str(d, 'method')})` : ''}</>
    case 'note':
      return <>Note{str(d, 'author') ? ` by ${str(d, 'author')}` : ''}: <span class="pre">{str(d, 'text')}</span></>
    case 'lead_created':
      return <>Added as a lead{str(d, 'source') && str(d, 'source') !== 'manual' ? ` (from ${str(d, 'source')})` : ''}</>
    case 'client_created':
      return <>Added as a client{str(d, 'source') && str(d, 'source') !== 'manual' ? ` (from ${str(d, 'source')})` : ''}</>
    case 'status_changed':
      return <>Status changed from {str(d, 'from')} to {str(d, 'to')}</>
    case 'job_rescheduled':
      return <><a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> moved from {dateTime(str(d, 'from'), tz)} to {dateTime(str(d, 'to'), tz)}</>
    case 'job_canceled':
      return <><a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> canceled</>
    case 'job_completed':
      return <><a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> completed ({money(num(d, 'price_cents'))})</>
    case 'invoice_paid':
      return <><a href={`/app/invoices/${str(d, 'invoice_id')}`}>Invoice</a> paid in full ({money(num(d, 'total_cents'))})</>
    case 'invoice_voided':
      return <><a href={`/app/invoices/${str(d, 'invoice_id')}`}>Invoice</a> voided</>
    case 'payment_refunded':
      return <>Payment of {money(num(d, 'amount_cents'))} refunded</>
    case 'review_left':
      return <>Rated us {num(d, 'rating')} out of 5</>
    case 'feedback':
      return <>Private feedback ({num(d, 'rating')} out of 5){d['callback_requested'] === true ? ', asked for a call back' : ''}: <span class="pre">{str(d, 'feedback')}</span></>
    case 'job_confirmed':
      return <><a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> of {dateTime(str(d, 'start_at'), tz)} confirmed by the client</>
    default:
      return <>{words(item.type)}</>
  }
}

/** The timeline card; changes on the client page swap it whole. */
export function Timeline({ items, tz }: { items: TimelineItem[]; tz: string }) {
  return (
    <section class="card" id="timeline">
      <h2>Timeline</h2>
      {items.length === 0 ? <p class="muted">Nothing yet.</p> : (
        <ol class="timeline">
          {items.map((item) => (
            <li class={`tl tl-${item.type}`}>
              <time datetime={item.created_at}>{stamp(item.created_at, tz)}</time>
              <div>{describe(item, tz)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
