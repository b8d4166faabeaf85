/** Inbound SMS: carrier keywords change consent for every organization texting from that number. */
import { and, eq, isNull, or, sql } from 'drizzle-orm'
import { peopleDb, type PeopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { normalizePhone } from '../people/normalize'
import { setPointConsent } from '../people/consent'
import { inboundSms, organizations, personOrgs, personPhones } from '../people/schema'
import { classifyReply } from './keywords'
import { platformNumber } from './sender-number'

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`)
const twiml = (reply?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${escapeXml(reply)}</Message>` : ''}</Response>`

/**
 * Handles one inbound SMS and returns the TwiML answer. STOP-type words opt the sender out of SMS
 * from each organization that texts them from the number they wrote to; START-type words opt back
 * in; HELP answers; anything else lands on the client's timeline as a reply. A `MessageSid` seen
 * before (Twilio's retry, or a captured request sent again) gets the empty answer and changes nothing.
 */
export async function handleInboundSms(env: Env, params: Record<string, string>): Promise<string> {
  const from = normalizePhone(params['From'] ?? '', 'US')
  const to = params['To'] ?? ''
  const sid = params['MessageSid'] ?? ''
  if (!from || !sid) return twiml()
  const db = peopleDb(env.PEOPLE)
  // One round trip to D1: the claim and who texts this phone from `to` (unused for a replay).
  const [claimed, orgs] = await db.batch([claimMessageSid(db, sid, from, to), sendersTo(env, db, from, to)])
  if (claimed.length === 0) return twiml()
  try {
    return await fileInboundSms(env, db, orgs, from, to, params['Body'] ?? '')
  } catch (error) {
    // Not filed: let Twilio's retry of this MessageSid through.
    await db.delete(inboundSms).where(eq(inboundSms.messageSid, sid)).run()
    throw error
  }
}

/** Stores a MessageSid: one row back the first time, none when it was stored before (one statement, so two copies racing get one row). */
function claimMessageSid(db: PeopleDb, sid: string, from: string, to: string) {
  return db
    .insert(inboundSms)
    .values({ messageSid: sid, fromE164: from, toE164: to })
    .onConflictDoNothing()
    .returning({ sid: inboundSms.messageSid })
}

/**
 * Applies a first-seen SMS: a keyword (STOP, START, HELP) is about the number, so its consent and
 * its line on the timeline go to every organization texting the sender from `to`; any other text
 * is a reply, filed with one of them only (see `replyOwner`). Returns the TwiML.
 */
async function fileInboundSms(
  env: Env,
  db: PeopleDb,
  orgs: Sender[],
  from: string,
  to: string,
  body: string,
): Promise<string> {
  const keyword = classifyReply(body)
  const filedWith = keyword === null ? await replyOwner(env, orgs, from) : orgs
  for (const org of orgs) {
    // Consent follows the number: a STOP from a shared phone stops texts to it for everyone on it.
    if (keyword === 'opt_out')
      await setPointConsent(db, org.id, from, { opt_in: false }, `Replied "${body.trim()}" to ${to}`)
    if (keyword === 'opt_in')
      await setPointConsent(db, org.id, from, { opt_in: true }, `Replied "${body.trim()}" to ${to}`)
  }
  for (const org of filedWith) await orgStub(env, org.id).recordInboundSms(from, body, keyword)
  if (keyword !== 'help') return twiml()
  const names = orgs.map((o) => o.name).join(' / ') || 'HomeBase'
  const phones = orgs.map((o) => o.phone).filter(Boolean)
  const contact = phones.length ? `call ${phones[0]}` : 'reply to this message'
  return twiml(
    `${names}: appointment and billing messages. For help, ${contact}. Reply STOP to opt out. Msg & data rates may apply.`,
  )
}

/**
 * Who a reply belongs to when several organizations text this phone from one number (the
 * platform's shared number, as every business without its own has): the one that texted it last.
 * Any business can add a card with someone's phone, so holding the phone is not enough: a
 * business that never texted them never reads their replies, and when none of several did, the
 * reply is filed nowhere.
 */
async function replyOwner<T extends { id: string }>(env: Env, orgs: T[], phone: string): Promise<T[]> {
  if (orgs.length <= 1) return orgs
  const texted = await Promise.all(
    orgs.map(async (org) => ({ org, at: await orgStub(env, org.id).lastTextedAt(phone) })),
  )
  const latest = texted.filter((t) => t.at !== null).sort((a, b) => b.at!.localeCompare(a.at!))[0]
  return latest ? [latest.org] : []
}

type Sender = { id: string; name: string; phone: string | null }

/** The organizations holding someone on this phone that text from `to` (their own number, or the platform's). */
function sendersTo(env: Env, db: PeopleDb, phone: string, to: string) {
  const platform = platformNumber(env)
  return db
    .selectDistinct({ id: organizations.id, name: organizations.name, phone: organizations.phone })
    .from(personPhones)
    .innerJoin(personOrgs, eq(personOrgs.personId, personPhones.personId))
    .innerJoin(organizations, eq(organizations.id, personOrgs.organizationId))
    .where(
      and(
        eq(personPhones.phoneE164, phone),
        or(eq(organizations.smsFrom, to), and(isNull(organizations.smsFrom), sql`${to} = ${platform}`)),
      ),
    )
}
