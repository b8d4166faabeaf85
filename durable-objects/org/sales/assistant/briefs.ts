/**
 * A brief of a lead or client: its facts become the prompt; the model answers when the Workers AI
 * binding is there and its JSON reads, else the built-in rules do. Every call is stored with its
 * prompt and the answer as given (a model's raw text, even when unusable), and a lead keeps its
 * latest reading in its `ai_*` columns.
 */
import { eq } from 'drizzle-orm'
import { notFound } from '../../../../src/errors'
import { localDate } from '../../../../src/time'
import type { OrgHost } from '../../host'
import { attempt, type Result } from '../../result'
import { leads } from '../../schema'
import { type Answer, BUILTIN, clientBrief, leadBrief } from './builtin'
import { clientFacts } from './client-facts'
import { recordInteraction } from './interactions'
import { leadFacts } from './lead-facts'
import { askModel, MODEL, modelBinding, parseAnswer } from './model'
import { clientPrompt, leadPrompt, type Prompt, type Setting } from './prompt'

export type AssistantHost = Pick<OrgHost, 'db' | 'write' | 'clock' | 'tz' | 'profile' | 'env'>

/** A brief as the API answers it. */
export type Brief = Answer & { model: string; interaction_id: string }

/** Where and when the facts are read: the business's name, its zone, now and today there. */
export function settingOf(host: AssistantHost): Setting {
  const now = host.clock.now()
  const tz = host.tz()
  return { business: host.profile()?.name ?? 'the business', tz, today: localDate(now, tz), now }
}

/** The Workers AI binding when this deployment has one it can use. */
export const aiOf = (host: AssistantHost) => modelBinding(host.env)

/** A 404 as a result, with nothing written. */
export const missing = (what: string): Result<never> =>
  attempt(() => {
    throw notFound(what)
  })

/** The brief of a client of this business; a 404 (nothing stored) for an id it does not hold. */
export async function briefClient(host: AssistantHost, id: string, requestedBy: string | null): Promise<Result<Brief>> {
  const s = settingOf(host)
  const facts = clientFacts(host.db, id, s.now, s.today)
  if (!facts) return missing('client')
  const answered = await answer(host, clientPrompt(facts, s), clientBrief(facts, s))
  return host.write(() => {
    const interaction_id = recordInteraction(
      host.db,
      { kind: 'brief', subjectType: 'client', subjectId: id, ...answered.stored, requestedBy },
      s.now,
    )
    return { ...answered.answer, model: answered.model, interaction_id }
  })
}

/** The brief of a lead of this business, also kept on the lead; a 404 (nothing stored) for an id it does not hold. */
export async function briefLead(host: AssistantHost, id: string, requestedBy: string | null): Promise<Result<Brief>> {
  const s = settingOf(host)
  const facts = leadFacts(host.db, id)
  if (!facts) return missing('lead')
  const answered = await answer(host, leadPrompt(facts, s), leadBrief(facts, s))
  return host.write(() => {
    const interaction_id = recordInteraction(
      host.db,
      { kind: 'brief', subjectType: 'lead', subjectId: id, ...answered.stored, requestedBy },
      s.now,
    )
    const a = answered.answer
    host.db
      .update(leads)
      .set({
        aiSummary: a.summary,
        aiNextAction: a.next_action,
        aiPriority: a.priority,
        aiUpdatedAt: s.now.toISOString(),
      })
      .where(eq(leads.id, id))
      .run()
    return { ...a, model: answered.model, interaction_id }
  })
}

type Answered = { answer: Answer; model: string; stored: { model: string; prompt: string; response: string } }

/** The model's answer when it gives a usable one, else the built-in; and what to store either way. */
async function answer(host: AssistantHost, prompt: Prompt, builtin: Answer): Promise<Answered> {
  const ai = aiOf(host)
  if (!ai)
    return {
      answer: builtin,
      model: BUILTIN,
      stored: { model: BUILTIN, prompt: prompt.text, response: JSON.stringify(builtin) },
    }
  let raw: string
  try {
    raw = await askModel(ai, prompt, { json: true, maxTokens: 400 })
  } catch (error) {
    raw = `error: ${error instanceof Error ? error.message : String(error)}`
  }
  const parsed = parseAnswer(raw)
  return {
    answer: parsed ?? builtin,
    model: parsed ? MODEL : BUILTIN,
    stored: { model: MODEL, prompt: prompt.text, response: raw },
  }
}
