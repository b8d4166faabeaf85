/** What a journey's message step says, rendered with a client's details; shared by the engine and the builder's preview. */
import { render, type Channel } from '../../../src/messaging/templates'
import type { StepInput } from './definitions'

/** The variables a journey message may use. */
export const JOURNEY_VARIABLES = ['first_name', 'business_name', 'portal_link', 'review_link'] as const

export type JourneyVars = Record<(typeof JOURNEY_VARIABLES)[number], string>

/** A review request's wording when its step does not give its own. */
export const REVIEW_WORDING: Record<Channel, { subject: string; body: string }> = {
  sms: {
    subject: '',
    body: 'Hi {{first_name}}, thanks for choosing {{business_name}}! How did we do? {{review_link}}',
  },
  email: {
    subject: 'How did we do, {{first_name}}?',
    body: 'Hi {{first_name}},\n\nThank you for choosing {{business_name}}. Would you tell us how we did? It takes a few seconds:\n\n{{review_link}}\n\nThank you!\n{{business_name}}',
  },
}

export type MessageStep = Extract<StepInput, { type: 'sms' | 'email' | 'review_request' }>

export type Wording = { channel: Channel; subject: string | null; body: string }

/** The channel, subject and body of a message step for these variables; a review request always carries its link. */
export function wordingOf(step: MessageStep, vars: JourneyVars): Wording {
  if (step.type === 'review_request') {
    const fallback = REVIEW_WORDING[step.channel]
    const body = render(step.body || fallback.body, vars)
    const subject = step.channel === 'email' ? render(step.subject || fallback.subject, vars) : null
    if (body.includes(vars.review_link)) return { channel: step.channel, subject, body }
    return {
      channel: step.channel,
      subject,
      body: `${body}${step.channel === 'email' ? '\n\n' : ' '}${vars.review_link}`,
    }
  }
  return {
    channel: step.type,
    subject: step.type === 'email' ? render(step.subject, vars) : null,
    body: render(step.body, vars),
  }
}
