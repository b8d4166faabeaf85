/**
 * The assistant on a ticket, as on the sales briefs (decision 016): the same Workers AI model when
 * the binding is there and its JSON reads, the built-in rules otherwise. Each reading is kept on
 * the ticket (`ai_summary`, `suggested_priority`) and stored in support_ai_interactions with the
 * exact prompt and the answer as given.
 */
import { desc, eq } from 'drizzle-orm'
import { BUILTIN } from '../../durable-objects/org/sales/assistant/builtin'
import { type AiBinding, askModel, MODEL, modelBinding } from '../../durable-objects/org/sales/assistant/model'
import type { PeopleDb } from '../db'
import type { Env } from '../env'
import { organizations, supportAiInteractions, supportTickets } from '../people/schema'
import { repliesOf } from './tickets'
import { builtinReading, parseReading, type Reading, type TicketFacts, ticketPrompt } from './triage'
import { businessPlan } from '../billing/plans'

/** What a stored interaction is: a ticket's summary and suggested priority. */
export const TICKET_KIND = 'ticket_summary'

/** The facts of a ticket for its prompt; null for an unknown id. */
async function factsOf(db: PeopleDb, ticketId: string): Promise<TicketFacts | null> {
  const t = await db
    .select({
      organizationId: supportTickets.organizationId,
      business: organizations.name,
      subject: supportTickets.subject,
      body: supportTickets.body,
      priority: supportTickets.priority,
      createdAt: supportTickets.createdAt,
    })
    .from(supportTickets)
    .innerJoin(organizations, eq(organizations.id, supportTickets.organizationId))
    .where(eq(supportTickets.id, ticketId))
    .get()
  if (!t) return null
  const replies = (await repliesOf(db, [ticketId], false)).get(ticketId) ?? []
  return {
    business: t.business,
    plan: (await businessPlan(db, t.organizationId)).plan.name,
    subject: t.subject,
    body: t.body,
    priority: t.priority,
    created_at: t.createdAt,
    replies: replies.map((r) => ({ from: r.from, body: r.body, created_at: r.createdAt })),
  }
}

/** The model's reading when it gives a usable one, else the rules' (`by` says whose); and what to store either way. */
async function ask(
  ai: AiBinding | undefined,
  facts: TicketFacts,
): Promise<{ reading: Reading; by: string; model: string; prompt: string; response: string }> {
  const prompt = ticketPrompt(facts)
  const builtin = builtinReading(facts)
  if (!ai)
    return { reading: builtin, by: BUILTIN, model: BUILTIN, prompt: prompt.text, response: JSON.stringify(builtin) }
  let raw: string
  try {
    raw = await askModel(ai, prompt, { json: true, maxTokens: 300 })
  } catch (error) {
    raw = `error: ${error instanceof Error ? error.message : String(error)}`
  }
  const parsed = parseReading(raw)
  return { reading: parsed ?? builtin, by: parsed ? MODEL : BUILTIN, model: MODEL, prompt: prompt.text, response: raw }
}

/**
 * Reads the ticket again (after it is opened and after each business reply): keeps the summary
 * and suggested priority on it and stores the interaction. Returns the reading, or null for an unknown id.
 */
export async function readTicket(
  env: Pick<Env, 'AI' | 'APP_ENV'>,
  db: PeopleDb,
  ticketId: string,
  now: Date,
): Promise<(Reading & { model: string }) | null> {
  const facts = await factsOf(db, ticketId)
  if (!facts) return null
  const asked = await ask(modelBinding(env), facts)
  const at = now.toISOString()
  await db.batch([
    db.insert(supportAiInteractions).values({
      id: crypto.randomUUID(),
      ticketId,
      kind: TICKET_KIND,
      model: asked.model,
      prompt: asked.prompt,
      response: asked.response,
      createdAt: at,
    }),
    db
      .update(supportTickets)
      .set({ aiSummary: asked.reading.summary, suggestedPriority: asked.reading.priority })
      .where(eq(supportTickets.id, ticketId)),
  ])
  return { ...asked.reading, model: asked.by }
}

export type TicketInteraction = {
  id: string
  kind: string
  model: string
  prompt: string
  response: string
  created_at: string
}

/** What the assistant was asked and answered about a ticket, newest first (operators only). */
export function interactionsOf(db: PeopleDb, ticketId: string): Promise<TicketInteraction[]> {
  return db
    .select({
      id: supportAiInteractions.id,
      kind: supportAiInteractions.kind,
      model: supportAiInteractions.model,
      prompt: supportAiInteractions.prompt,
      response: supportAiInteractions.response,
      created_at: supportAiInteractions.createdAt,
    })
    .from(supportAiInteractions)
    .where(eq(supportAiInteractions.ticketId, ticketId))
    .orderBy(desc(supportAiInteractions.createdAt), desc(supportAiInteractions.id))
    .all()
}
