/** A team member made the way a business makes one: an invite by API, accepted on the invite page. */
import { Staff } from './browserless'
import { api, type TestOrg, unique } from './factories'

/** Invites someone (a tech unless `role` says otherwise, with `name` if given), accepts, and returns their user id. */
export async function teammate(
  org: TestOrg,
  opts: { name?: string; role?: 'tech' | 'member' | 'admin'; color?: string } = {},
): Promise<string> {
  const email = `tech-${unique()}@example.com`
  const res = await api(org, 'POST', '/api/v1/team/invites', {
    email,
    role: opts.role ?? 'tech',
    ...(opts.name ? { name: opts.name } : {}),
  })
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`)
  const { invite_url } = await res.json<{ invite_url: string }>()
  await new Staff().post(new URL(invite_url).pathname, { password: 'tech password 1' })
  const { items } = await (await api(org, 'GET', '/api/v1/team')).json<{
    items: { user_id: string; email: string }[]
  }>()
  const id = items.find((m) => m.email === email)!.user_id
  if (opts.color) await api(org, 'PATCH', `/api/v1/team/${id}`, { color: opts.color })
  return id
}
