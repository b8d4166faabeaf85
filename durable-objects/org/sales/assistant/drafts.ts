/**
 * Built-in reply drafts: what the client's latest message seems to ask (a complaint, another time,
 * a price, thanks), answered by a polite template with their first name and the business's name.
 * Staff edit a draft before sending it; nothing here sends anything.
 */
import type { SentimentLabel } from './sentiment'

export const INTENTS = ['complaint', 'reschedule', 'price', 'thanks', 'other', 'none'] as const
export type Intent = (typeof INTENTS)[number]

const COMPLAINT =
  /\b(disappoint\w*|unhappy|not happy|terrible|awful|horrible|dirty|missed|mess|broke\w*|damage\w*|refund|complain\w*|rude|never showed|no.?show|didn'?t show|worst)\b/i
const RESCHEDULE =
  /\b(reschedul\w*|move (it|the|my|our)|another (day|time)|different (day|time)|postpone|push (it )?back|can'?t make|cannot make|won'?t be (home|there)|change the (date|time|day)|cancel\w*|earlier|later in the)\b/i
const PRICE = /\b(price|prices|pricing|cost|costs|how much|quote|estimate|charge|rates?|fee)\b|\$\d/i
const THANKS = /\b(thanks?|thank you|thx|appreciate\w*|great job|awesome|amazing|wonderful|perfect)\b/i

/** What a reply seems to ask; a negative tone counts as a complaint. `none` when there is no reply. */
export function intentOf(text: string | null, sentiment: SentimentLabel | null): Intent {
  if (text === null) return 'none'
  if (COMPLAINT.test(text) || sentiment === 'negative') return 'complaint'
  if (RESCHEDULE.test(text)) return 'reschedule'
  if (PRICE.test(text)) return 'price'
  if (THANKS.test(text)) return 'thanks'
  return 'other'
}

export type DraftContext = { firstName: string; business: string; intent: Intent; nextVisit: string | null }

/** The built-in draft for what the reply asks. */
export function builtinDraft(c: DraftContext): string {
  const hi = `Hi ${c.firstName},`
  const sign = `— ${c.business}`
  switch (c.intent) {
    case 'complaint':
      return `${hi} I'm sorry to hear that — that is not the experience we want you to have. Could we call you today to make it right? ${sign}`
    case 'reschedule':
      return `${hi} no problem at all. What day and time would suit you better? We'll move your visit${
        c.nextVisit ? ` on ${c.nextVisit}` : ''
      } as soon as we hear back. ${sign}`
    case 'price':
      return `${hi} thanks for asking! We'd be glad to give you a price. Could you tell us a little more about the job, or would a quick call be easier? ${sign}`
    case 'thanks':
      return `${hi} thank you for the kind words — we're glad you're happy! See you next time. ${sign}`
    case 'other':
      return `${hi} thanks for your message. We'll get back to you shortly. ${sign}`
    case 'none':
      return `${hi} just checking in from ${c.business}. Is there anything we can help you with? ${sign}`
  }
}
