/** POST /api/v1/signup: a new business, its owner account and a first API key. */
import { Hono } from 'hono'
import { z } from 'zod'
import { signup } from '../../auth/accounts'
import { syncPlanLimits } from '../../billing/limits'
import { peopleDb } from '../../db'
import type { AppEnv } from '../../env'
import { jsonBody } from '../../http/validate'
import { isTimeZone, orgStub } from '../../organizations'
import { countryField, emailField } from '../../people/normalize'

export const signupSchema = z.object({
  email: emailField,
  password: z.string().min(10, 'must be at least 10 characters').max(200),
  organization_name: z.string().trim().min(1).max(120),
  timezone: z.string().refine(isTimeZone, 'is not a known time zone').optional(),
  country: countryField.optional(),
  name: z.string().trim().max(100).optional(),
})

/** Signs up and prepares the organization's object (profile and plan); shared by the API and the sign-up page. */
export async function signupAndSetUp(env: AppEnv['Bindings'], input: z.output<typeof signupSchema>) {
  const result = await signup(peopleDb(env.PEOPLE), input)
  const { organization } = result
  await orgStub(env, organization.id).setProfile({
    organization_id: organization.id,
    name: organization.name,
    country: organization.country,
    timezone: organization.timezone,
  })
  // The object learns its plan now: Free, held from the end of the trial on.
  await syncPlanLimits(env, organization.id)
  return result
}

export const signupApi = new Hono<AppEnv>().post('/', jsonBody(signupSchema), async (c) => {
  const { user_id, organization_id, api_key } = await signupAndSetUp(c.env, c.req.valid('json'))
  return c.json({ user_id, organization_id, api_key }, 201)
})
