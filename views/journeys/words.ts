/** Journeys in words: what starts one, from which source, what stops it, and what each step does. */
import type { JourneySummary, StepInput } from '../../durable-objects/org/journeys/definitions'
import { JOURNEY_TRIGGERS, TRIGGER_SOURCES, type BranchTarget } from '../../durable-objects/org/schema'
import { words } from '../format'

const TRIGGER_WORDS: Record<string, string> = {
  job_completed: 'A job is completed',
  invoice_paid: 'An invoice is paid',
  client_created: 'A client is added',
  lead_created: 'A lead is added',
  job_booked: 'A job is booked',
  manual: 'Started by hand or through the API',
  estimate_sent: 'An estimate is sent',
  estimate_approved: 'An estimate is approved',
  estimate_declined: 'An estimate is declined',
}
const SOURCE_WORDS: Record<string, string> = {
  any: 'Any source',
  manual: 'HomeBase',
  jobber: 'Jobber',
  housecallpro: 'Housecall Pro',
  servicetitan: 'ServiceTitan',
  quickbooks: 'QuickBooks',
}
export const STOP_WORDS: Record<string, string> = {
  job_booked: 'They book a job',
  replied: 'They reply',
  opted_out: 'They opt out',
  invoice_paid: 'They pay an invoice',
  review_left: 'They leave a review',
}

/** "A job is completed (Jobber)". */
export function triggerWords(j: Pick<JourneySummary, 'trigger_event' | 'trigger_source'>): string {
  return `${TRIGGER_WORDS[j.trigger_event] ?? words(j.trigger_event)}${j.trigger_source === 'any' ? '' : ` (${SOURCE_WORDS[j.trigger_source]})`}`
}

export const triggerOptions = JOURNEY_TRIGGERS.map((t) => ({ value: t, label: TRIGGER_WORDS[t] ?? words(t) }))
export const sourceOptions = TRIGGER_SOURCES.map((s) => ({ value: s, label: SOURCE_WORDS[s] ?? s }))

/** What a step does, in a few words. */
export function stepTitle(step: StepInput): string {
  switch (step.type) {
    case 'wait':
      return `Wait ${waitWords(step.delay_minutes)}`
    case 'sms':
      return `Text${step.purpose ? ` · ${words(step.purpose)}` : ''}`
    case 'email':
      return `Email${step.purpose ? ` · ${words(step.purpose)}` : ''}`
    case 'review_request':
      return `Ask for a review by ${step.channel === 'sms' ? 'text' : 'email'}`
    case 'branch':
      return `If ${conditionWords(step.condition).toLowerCase()}: ${targetWords(step.on_true)}; otherwise ${targetWords(step.on_false)}`
  }
}

/** "3 days", "2 h", "45 min". */
export function waitWords(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`
  if (minutes % 60 === 0) return `${minutes / 60} h`
  return `${minutes} min`
}

function targetWords(t: BranchTarget | undefined): string {
  return t === 'end' ? 'end the journey' : typeof t === 'number' ? `go to step ${t + 1}` : 'go on'
}

/** "Has left a review", "Has paid the invoice"… */
export function conditionWords(c: string): string {
  return (
    {
      review_left: 'Has left a review',
      invoice_paid: 'Has paid the invoice',
      replied: 'Has replied',
      job_booked: 'Has booked a job',
    }[c] ?? words(c)
  )
}
