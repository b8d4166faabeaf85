/**
 * Which number a business may text from. A number is one business's: replies to it, STOP
 * included, are filed by the number they were sent to, so two businesses on one number would
 * read each other's replies and opt each other's clients out. With Twilio as the SMS provider
 * only numbers of the platform's own Twilio account can be chosen.
 */
import { and, eq, ne } from 'drizzle-orm'
import type { PeopleDb } from '../db'
import { basicAuth } from '../encoding'
import type { Env } from '../env'
import { AppError, conflict } from '../errors'
import { organizations } from '../people/schema'

/** The number every business without its own sends from. */
export const platformNumber = (env: Env) => env.TWILIO_FROM_NUMBER ?? '+15005550006'

/**
 * Checks that `number` (E.164) can become `organizationId`'s sender: not the platform's shared
 * number, not another business's, and (with Twilio) a number of the Twilio account. Throws 409.
 */
export async function checkSenderNumber(env: Env, db: PeopleDb, organizationId: string, number: string): Promise<void> {
  if (number === platformNumber(env)) throw conflict("That is HomeBase's shared number; choose a number of your own.")
  const taken = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.smsFrom, number), ne(organizations.id, organizationId)))
    .get()
  if (taken) throw conflict('Another business already sends from that number.')
  if (env.SMS_PROVIDER === 'twilio' && !(await isTwilioAccountNumber(env, number))) {
    throw conflict('That number is not a number of the Twilio account HomeBase sends with.')
  }
}

/** True when the SMS provider's account owns `number` with SMS capability (Twilio IncomingPhoneNumbers). */
async function isTwilioAccountNumber(env: Env, number: string): Promise<boolean> {
  const sid = env.TWILIO_ACCOUNT_SID
  const token = env.TWILIO_AUTH_TOKEN
  if (!sid || !token)
    throw new AppError(
      503,
      'sms_not_configured',
      'Texting is not set up: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are missing.',
    )
  const url = `https://api.twilio.com/2010-04-01/Accounts/${sid}/IncomingPhoneNumbers.json?PhoneNumber=${encodeURIComponent(number)}`
  let res: Response
  try {
    res = await fetch(url, { headers: { authorization: basicAuth(sid, token) } })
  } catch {
    throw new AppError(503, 'provider_unavailable', 'Twilio could not be reached to check the number; try again.')
  }
  if (!res.ok)
    throw new AppError(
      503,
      'provider_unavailable',
      `Twilio answered ${res.status} when checking the number; try again.`,
    )
  const body = await res.json<{
    incoming_phone_numbers?: Array<{ phone_number?: string; capabilities?: { sms?: boolean } }>
  }>()
  return (body.incoming_phone_numbers ?? []).some((n) => n.phone_number === number && n.capabilities?.sms !== false)
}

/** True when `error` is D1 refusing a second business on one sender number (the unique index). */
export const isSenderNumberTaken = (error: unknown) =>
  String((error as { cause?: unknown })?.cause ?? error).includes('organizations.sms_from')
