/**
 * Replies: the tone of each text or email a client sends (read by the lexicon as it is filed, kept
 * as a `sentiment` interaction on the reply), and a suggested answer for staff to edit (`reply_draft`).
 */
import { and, desc, eq, notExists, sql } from 'drizzle-orm'
import type { OrgDb } from '../../db'
import type { Result } from '../../result'
import { aiInteractions, events, type FlatData } from '../../schema'
import { BUILTIN } from './builtin'
import { type AssistantHost, aiOf, missing, settingOf } from './briefs'
import { clientFacts } from './client-facts'
import { builtinDraft, type Intent, intentOf } from './drafts'
import { recordInteraction } from './interactions'
import { askModel, MODEL } from './model'
import { NEGATIVE, POSITIVE, readSentiment, type SentimentLabel } from './sentiment'
import { dateWords, quote } from './wording'

/** A reply just filed: a text (found by its sender and words) or an email (found by its delivery key). */
export type FiledReply = { channel: 'sms'; from: string; body: string } | { channel: 'email'; key: string }

const SENTIMENT_PROMPT = `Tone of a client's reply by the AFINN-165 lexicon: positive at a score of at least ${POSITIVE.score} and a comparative of at least ${POSITIVE.comparative}, negative at a score of at most ${NEGATIVE.score} and a comparative of at most ${NEGATIVE.comparative}, else neutral.`

/** The message event of a reply just filed that has no tone read yet; null when there is none. */
function filedReply(db: OrgDb, orgClientId: string, reply: FiledReply): { id: string; data: FlatData } | null {
  const match =
    reply.channel === 'email'
      ? sql`json_extract(${events.data}, '$.key') = ${reply.key}`
      : and(
          sql`json_extract(${events.data}, '$.channel') = 'sms'`,
          sql`json_extract(${events.data}, '$.from') = ${reply.from}`,
          sql`json_extract(${events.data}, '$.body') = ${reply.body.slice(0, 1600)}`,
        )
  return (
    db
      .select({ id: events.id, data: events.data })
      .from(events)
      .where(
        and(
          eq(events.orgClientId, orgClientId),
          eq(events.type, 'message'),
          sql`json_extract(${events.data}, '$.direction') = 'inbound'`,
          match,
          notExists(
            db
              .select({ id: aiInteractions.id })
              .from(aiInteractions)
              .where(
                and(
                  eq(aiInteractions.kind, 'sentiment'),
                  eq(aiInteractions.subjectType, 'message'),
                  eq(aiInteractions.subjectId, events.id),
                ),
              ),
          ),
        ),
      )
      .orderBy(desc(events.createdAt))
      .limit(1)
      .get() ?? null
  )
}

/**
 * Reads the tone of a reply just filed and keeps it; null when the reply is not found (or was read
 * before). Never fails the filing: the reply is on the thread already, so an error is only logged.
 */
export async function readReply(
  host: AssistantHost,
  orgClientId: string,
  reply: FiledReply,
): Promise<SentimentLabel | null> {
  try {
    return await keepTone(host, orgClientId, reply)
  } catch (error) {
    console.error('assistant: could not read the tone of a reply', error)
    return null
  }
}

async function keepTone(host: AssistantHost, orgClientId: string, reply: FiledReply): Promise<SentimentLabel | null> {
  const result = await host.write(() => {
    const event = filedReply(host.db, orgClientId, reply)
    if (!event) return null
    const text = [event.data['subject'], event.data['body']].filter((v) => typeof v === 'string' && v).join('\n')
    const reading = readSentiment(text)
    recordInteraction(
      host.db,
      {
        kind: 'sentiment',
        subjectType: 'message',
        subjectId: event.id,
        model: BUILTIN,
        prompt: `${SENTIMENT_PROMPT}\n\n${text}`,
        response: JSON.stringify(reading),
        requestedBy: null,
      },
      host.clock.now(),
    )
    return reading.sentiment
  })
  return result.ok ? result.value : null
}

/** A suggested reply to a client, as the reply box gets it. */
export type Draft = { draft: string; intent: Intent; model: string; interaction_id: string }

/** A text's draft stays this short; an email's may be longer. */
const MAX_DRAFT = { sms: 480, email: 2000 }

/**
 * Suggests an answer to the client's latest message (the model's words when it gives some, else
 * the built-in template for what they seem to ask) and keeps it; a 404 for a client not on file.
 */
export async function replyDraft(
  host: AssistantHost,
  orgClientId: string,
  channel: 'sms' | 'email',
  requestedBy: string | null,
): Promise<Result<Draft>> {
  const s = settingOf(host)
  const facts = clientFacts(host.db, orgClientId, s.now, s.today)
  if (!facts) return missing('client')
  const reply = facts.last_reply
  const intent = intentOf(reply?.body ?? null, reply?.sentiment ?? null)
  const nextVisit = facts.next_visit ? dateWords(facts.next_visit.start_at, s.tz) : null
  const builtin = builtinDraft({ firstName: facts.first_name, business: s.business, intent, nextVisit })
  const system = [
    `You write replies for the staff of ${s.business}, a home-service business, to send as a ${channel === 'sms' ? 'text' : 'email'}.`,
    `Answer with the reply only: polite, short (under ${channel === 'sms' ? 320 : 1200} characters), addressed to the client by first name and signed "— ${s.business}".`,
    'Never promise a price, a refund or a time: offer to confirm or to call.',
  ].join(' ')
  const user = [
    `Client's first name: ${facts.first_name}`,
    reply
      ? `Their latest message (${dateWords(reply.at, s.tz)}): "${quote(reply.body, 600)}"`
      : 'They have not written yet.',
    `It seems to be: ${intent}${reply?.sentiment ? `, and reads ${reply.sentiment}` : ''}`,
    nextVisit ? `Their next visit: ${nextVisit}` : 'No visit booked.',
  ].join('\n')
  const prompt = { system, user, text: `${system}\n\n${user}` }
  const ai = aiOf(host)
  let draft = builtin
  let model = BUILTIN
  let response = builtin
  if (ai) {
    try {
      response = await askModel(ai, prompt, { json: false, maxTokens: 300 })
    } catch (error) {
      response = `error: ${error instanceof Error ? error.message : String(error)}`
    }
    const words = response.startsWith('error: ')
      ? ''
      : response
          .trim()
          .replace(/^"(.*)"$/s, '$1')
          .trim()
    if (words && words.length <= MAX_DRAFT[channel]) {
      draft = words
      model = MODEL
    }
  }
  const storedModel = ai ? MODEL : BUILTIN
  return host.write(() => {
    const interaction_id = recordInteraction(
      host.db,
      {
        kind: 'reply_draft',
        subjectType: 'client',
        subjectId: orgClientId,
        model: storedModel,
        prompt: prompt.text,
        response,
        requestedBy,
      },
      s.now,
    )
    return { draft, intent, model, interaction_id }
  })
}
