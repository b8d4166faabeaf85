/** What each kind of timeline event says: one line of plain words, with a link to the thing when it has a page. */
import type { TimelineItem } from '../../durable-objects/org/crm/reports'
import type { FlatData } from '../../durable-objects/org/schema'
import { dateTime, longDate, money, phone, words } from '../format'
import { ActivityEvent } from '../leads/calls'
import { byWhom } from './provenance'

/** A string field of an event's data, or '' when it holds something else. */
export const str = (d: FlatData, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '')
const num = (d: FlatData, k: string) => (typeof d[k] === 'number' ? (d[k] as number) : 0)

const FIELD_NAMES: Record<string, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  email: 'Email',
  phone: 'Phone',
}

/** A card value as people read it: phones formatted, nothing as "none". */
const shown = (field: string, value: unknown) =>
  typeof value !== 'string' || value === '' ? 'none' : field === 'phone' ? phone(value) : value

/** "Phone changed from (415) 555-0100 to (415) 555-0199 by staff@example.com", and the revert and removal forms of it. */
function contactChange(d: FlatData) {
  const field = str(d, 'field')
  const name = FIELD_NAMES[field] ?? words(field)
  const who = byWhom(str(d, 'source'), typeof d['by'] === 'string' ? d['by'] : null)
  if (d['removed'] === true)
    return (
      <>
        {name} {shown(field, d['from'])} removed {who}
      </>
    )
  if (d['from'] === null || d['from'] === '')
    return (
      <>
        {name} set to {shown(field, d['to'])} {who}
      </>
    )
  const verb = d['reverts'] ? 'put back' : 'changed'
  return (
    <>
      {name} {verb} from {shown(field, d['from'])} to {shown(field, d['to'])} {who}
    </>
  )
}

/** "Address added: 9 Elm St, Brooklyn, NY 11201 (Home) by staff@example.com", and its change and removal. */
function addressEvent(type: string, d: FlatData) {
  const who = byWhom(str(d, 'source'), typeof d['by'] === 'string' ? d['by'] : null)
  const label = str(d, 'label') ? ` (${str(d, 'label')})` : ''
  if (type === 'address_added')
    return (
      <>
        Address added: {str(d, 'address')}
        {label}
        {d['is_default'] === true ? ', the default' : ''} {who}
      </>
    )
  if (type === 'address_removed')
    return (
      <>
        Address removed: {str(d, 'address')}
        {label} {who}
      </>
    )
  const moved = str(d, 'from') !== str(d, 'to')
  const made = d['made_default'] === true
  if (!moved)
    return (
      <>
        {str(d, 'to')}
        {label} made the default address {who}
      </>
    )
  return (
    <>
      Address changed from {str(d, 'from')} to {str(d, 'to')}
      {label}
      {made ? ', and made the default' : ''} {who}
    </>
  )
}

/** What a message was for, in words: "appointment reminder", "review request". */
const PURPOSE_NAMES: Record<string, string> = {
  job_upcoming: 'appointment reminder',
  invoice_due: 'invoice reminder',
  review_request: 'review request',
  review: 'review request',
  campaign: 'campaign',
  portal_code: 'sign-in code',
  portal_link: 'portal link',
  portal: 'portal message',
  thank_you: 'thank-you',
  follow_up: 'follow-up',
  rebooking: 'rebooking reminder',
  retention: 'check-in',
  upsell: 'offer',
  feedback_alert: 'feedback alert',
}

const KEYWORDS: Record<string, string> = { opt_out: 'STOP', opt_in: 'START', help: 'HELP' }

/** "Text sent (appointment reminder): Hi Ann, …" or "Text received: Can we move it to 3?". */
function messageLine(d: FlatData) {
  const channel = str(d, 'channel') === 'email' ? 'Email' : 'Text'
  const text = str(d, 'direction') === 'inbound' ? str(d, 'body') : str(d, 'text')
  if (str(d, 'direction') === 'inbound') {
    const keyword = str(d, 'keyword')
    return (
      <>
        {channel} received{keyword ? ` (${KEYWORDS[keyword] ?? keyword})` : ''}:{' '}
        <span class="pre">{text || '(empty)'}</span>
      </>
    )
  }
  const purpose = str(d, 'purpose')
  return (
    <>
      {channel} sent{purpose ? ` (${PURPOSE_NAMES[purpose] ?? words(purpose)})` : ''}
      {text ? (
        <>
          : <span class="pre">{text}</span>
        </>
      ) : null}
    </>
  )
}

/** One line describing what happened, with a link to the thing when it has a page. */
export function describe(item: TimelineItem, tz: string) {
  const d = item.data
  switch (item.type) {
    case 'job':
      return (
        <>
          Job booked for <a href={`/app/jobs/${item.id}`}>{dateTime(str(d, 'start_at'), tz)}</a>
        </>
      )
    case 'invoice':
      return (
        <>
          Invoice <a href={`/app/invoices/${item.id}`}>#{num(d, 'number')}</a> for {money(num(d, 'total_cents'))}, due{' '}
          {longDate(str(d, 'due_date'))}
        </>
      )
    case 'payment':
      return (
        <>
          Payment of {money(num(d, 'amount_cents'))} {str(d, 'status') === 'succeeded' ? 'received' : str(d, 'status')}
          {str(d, 'method') ? ` (${str(d, 'method')})` : ''}
        </>
      )
    case 'note':
      return (
        <>
          Note{str(d, 'author') ? ` by ${str(d, 'author')}` : ''}: <span class="pre">{str(d, 'text')}</span>
        </>
      )
    case 'lead_created':
      return (
        <>Added as a lead{str(d, 'source') && str(d, 'source') !== 'manual' ? ` (from ${str(d, 'source')})` : ''}</>
      )
    case 'client_created':
      return (
        <>Added as a client{str(d, 'source') && str(d, 'source') !== 'manual' ? ` (from ${str(d, 'source')})` : ''}</>
      )
    case 'status_changed':
      return (
        <>
          Status changed from {str(d, 'from')} to {str(d, 'to')}
        </>
      )
    case 'job_rescheduled':
      return (
        <>
          <a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> moved from {dateTime(str(d, 'from'), tz)} to{' '}
          {dateTime(str(d, 'to'), tz)}
        </>
      )
    case 'job_canceled':
      return (
        <>
          <a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> canceled
        </>
      )
    case 'job_completed':
      return (
        <>
          <a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> completed ({money(num(d, 'price_cents'))})
        </>
      )
    case 'invoice_paid':
      return (
        <>
          <a href={`/app/invoices/${str(d, 'invoice_id')}`}>Invoice</a> paid in full ({money(num(d, 'total_cents'))})
        </>
      )
    case 'invoice_voided':
      return (
        <>
          <a href={`/app/invoices/${str(d, 'invoice_id')}`}>Invoice</a> voided
        </>
      )
    case 'payment_refunded':
      return <>Payment of {money(num(d, 'amount_cents'))} refunded</>
    case 'review_left':
      return <>Rated us {num(d, 'rating')} out of 5</>
    case 'feedback':
      return (
        <>
          Private feedback ({num(d, 'rating')} out of 5)
          {d['callback_requested'] === true ? ', asked for a call back' : ''}:{' '}
          <span class="pre">{str(d, 'feedback')}</span>
        </>
      )
    case 'job_confirmed':
      return (
        <>
          <a href={`/app/jobs/${str(d, 'job_id')}`}>Job</a> of {dateTime(str(d, 'start_at'), tz)} confirmed by the
          client
        </>
      )
    case 'message':
      return messageLine(d)
    case 'contact_changed':
      return contactChange(d)
    case 'clients_merged':
      return (
        <>
          Another card of this client was merged in{str(d, 'by') ? ` by ${str(d, 'by')}` : ''} (
          <a href="/app/clients/merges">merge history</a>)
        </>
      )
    case 'clients_unmerged':
      return (
        <>
          A merge was undone{str(d, 'by') ? ` by ${str(d, 'by')}` : ''}:{' '}
          <a href={`/app/clients/${str(d, 'from_org_client_id')}`}>the other card</a> is separate again
        </>
      )
    case 'address_added':
    case 'address_changed':
    case 'address_removed':
      return addressEvent(item.type, d)
    case 'activity':
      return <ActivityEvent d={d} />
    default:
      return <>{words(item.type)}</>
  }
}
