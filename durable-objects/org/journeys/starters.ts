/** Ready-made journeys for the seed's message purposes; creating from one makes a draft to adjust. */
import type { MessagePurpose } from '../schema'
import type { JourneyInput } from './definitions'

export type Starter = { key: MessagePurpose; description: string; journey: Omit<JourneyInput, 'status'> }

const DAY = 1440

export const STARTERS: Starter[] = [
  {
    key: 'thank_you',
    description: 'A thank-you text two hours after a job is completed.',
    journey: {
      name: 'Thank you after a job',
      trigger_event: 'job_completed',
      settings: { stop_on: ['opted_out'] },
      steps: [
        { type: 'wait', delay_minutes: 120 },
        {
          type: 'sms',
          purpose: 'thank_you',
          body: 'Hi {{first_name}}, thank you for choosing {{business_name}} today! If anything is not right, just reply to this text.',
        },
      ],
    },
  },
  {
    key: 'follow_up',
    description: 'Checks in three days after a job; stops when they reply or book again.',
    journey: {
      name: 'Follow-up after a job',
      trigger_event: 'job_completed',
      settings: { stop_on: ['replied', 'job_booked', 'opted_out'] },
      steps: [
        { type: 'wait', delay_minutes: 3 * DAY },
        {
          type: 'sms',
          purpose: 'follow_up',
          body: 'Hi {{first_name}}, {{business_name}} checking in: how is everything since our visit? Reply here if you need anything.',
        },
      ],
    },
  },
  {
    key: 'review',
    description: 'Asks for a rating the day after a job, and once more by email three days later if none came.',
    journey: {
      name: 'Review request',
      trigger_event: 'job_completed',
      settings: { stop_on: ['review_left', 'opted_out'] },
      steps: [
        { type: 'wait', delay_minutes: DAY },
        { type: 'review_request', channel: 'sms' },
        { type: 'wait', delay_minutes: 3 * DAY },
        { type: 'branch', condition: 'review_left', on_true: 'end', on_false: 'continue' },
        { type: 'review_request', channel: 'email' },
      ],
    },
  },
  {
    key: 'rebooking',
    description: 'Invites them to book again eight weeks after a job, unless they already have.',
    journey: {
      name: 'Time to book again',
      trigger_event: 'job_completed',
      settings: { stop_on: ['job_booked', 'replied', 'opted_out'], reentry: { mode: 'after_days', days: 56 } },
      steps: [
        { type: 'wait', delay_minutes: 56 * DAY },
        {
          type: 'sms',
          purpose: 'rebooking',
          body: 'Hi {{first_name}}, it has been a couple of months since {{business_name}} came by. Want to book your next visit? {{portal_link}}',
        },
      ],
    },
  },
  {
    key: 'retention',
    description: 'A friendly note to clients who have not booked for four months.',
    journey: {
      name: 'We miss you',
      trigger_event: 'job_completed',
      settings: { stop_on: ['job_booked', 'opted_out'] },
      steps: [
        { type: 'wait', delay_minutes: 120 * DAY },
        {
          type: 'email',
          purpose: 'retention',
          subject: 'It has been a while, {{first_name}}',
          body: 'Hi {{first_name}},\n\nIt has been a few months since your last visit from {{business_name}}. Whenever you are ready, we would be glad to help again.\n\nBook or ask a question here: {{portal_link}}\n\n{{business_name}}',
        },
      ],
    },
  },
  {
    key: 'upsell',
    description: 'A week after an invoice is paid, tells them about another service.',
    journey: {
      name: 'Another service you may like',
      trigger_event: 'invoice_paid',
      settings: { stop_on: ['job_booked', 'replied', 'opted_out'] },
      steps: [
        { type: 'wait', delay_minutes: 7 * DAY },
        {
          type: 'email',
          purpose: 'upsell',
          subject: 'Something else {{business_name}} can do for you',
          body: 'Hi {{first_name}},\n\nThank you for your payment. Did you know {{business_name}} also offers seasonal deep cleans and add-on services? Reply to this email or visit {{portal_link}} to add one to your next visit.\n\n{{business_name}}',
        },
      ],
    },
  },
]

/** A starter by its key, or undefined. */
export function starterFor(key: string): Starter | undefined {
  return STARTERS.find((s) => s.key === key)
}
