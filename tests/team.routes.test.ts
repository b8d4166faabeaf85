/** /api/v1/team: the team list, invites by API, roles and colours, removal, and the last owner kept. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { peopleDb } from '../src/db'
import { removeMember, updateMember } from '../src/team'
import { Staff } from './helpers/browserless'
import { api, createOrg, type TestOrg, unique } from './helpers/factories'

type Member = { user_id: string; email: string; name: string | null; role: string; color: string }

const team = async (org: TestOrg) => (await (await api(org, 'GET', '/api/v1/team')).json<{ items: Member[] }>()).items

/** Invites by API and accepts as a new account through the invite page; returns the member and their browser. */
async function join(org: TestOrg, role: 'admin' | 'member' | 'tech', name?: string) {
  const email = `crew-${unique()}@example.com`
  const res = await api(org, 'POST', '/api/v1/team/invites', { email, role, ...(name ? { name } : {}) })
  expect(res.status).toBe(201)
  const invite = await res.json<{ invite_id: string; invite_url: string }>()
  expect(invite.invite_id).toMatch(/^[0-9a-f-]{36}$/)
  const person = new Staff()
  expect((await person.post(new URL(invite.invite_url).pathname, { password: 'crew password 1' })).status).toBe(303)
  const member = (await team(org)).find((m) => m.email === email)!
  return { member, person }
}

describe('GET /api/v1/team', () => {
  it('lists the owner who signed up, with a colour', async () => {
    const org = await createOrg()
    expect(await team(org)).toEqual([
      {
        user_id: org.userId,
        email: org.email,
        name: null,
        role: 'owner',
        color: expect.stringMatching(/^#[0-9a-f]{6}$/),
      },
    ])
  })
})

describe('POST /api/v1/team/invites', () => {
  it('invites a tech by API, who joins with the name given and signs in to the business', async () => {
    const org = await createOrg({ organization_name: 'Crew Cleaning' })
    const { member, person } = await join(org, 'tech', 'Dana Tech')
    expect(member).toMatchObject({ role: 'tech', name: 'Dana Tech' })
    expect(await (await person.get('/app')).text()).toContain('Crew Cleaning')
    expect((await team(org)).map((m) => m.role)).toEqual(['owner', 'tech'])
  })

  it('refuses an invite without a valid email or with a role an invite cannot give', async () => {
    const org = await createOrg()
    expect((await api(org, 'POST', '/api/v1/team/invites', { email: 'nope', role: 'member' })).status).toBe(400)
    expect((await api(org, 'POST', '/api/v1/team/invites', { email: 'a@example.com', role: 'owner' })).status).toBe(400)
    expect(await team(org)).toHaveLength(1)
  })
})

describe('the settings page', () => {
  it('invites a tech, who joins the team as a tech', async () => {
    const org = await createOrg()
    const owner = new Staff()
    await owner.post('/login', { email: org.email, password: org.password })
    const email = `tech-${unique()}@example.com`
    const invited = await owner.post('/app/settings/invites', { email, role: 'tech', _csrf: await owner.csrfToken() })
    expect(invited.status).toBe(201)
    const link = (await invited.text()).match(/data-testid="invite-link">([^<]+)</)![1]!
    expect((await new Staff().post(new URL(link).pathname, { password: 'tech password 1' })).status).toBe(303)
    expect((await team(org)).find((m) => m.email === email)).toMatchObject({ role: 'tech' })
  })
})

describe('PATCH /api/v1/team/{user_id}', () => {
  it('changes a role, a name and a colour', async () => {
    const org = await createOrg()
    const { member } = await join(org, 'member')
    const res = await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, {
      role: 'admin',
      name: 'Sam',
      color: '#AA3300',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ role: 'admin', name: 'Sam', color: '#aa3300' })
    expect((await team(org)).find((m) => m.user_id === member.user_id)).toMatchObject({
      role: 'admin',
      color: '#aa3300',
    })
    expect((await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, { color: 'red' })).status).toBe(400)
  })

  it('never demotes the last owner, but does once another owner exists', async () => {
    const org = await createOrg()
    const demote = await api(org, 'PATCH', `/api/v1/team/${org.userId}`, { role: 'member' })
    expect(demote.status).toBe(409)
    expect((await team(org))[0]!.role).toBe('owner')

    const { member } = await join(org, 'admin')
    expect((await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, { role: 'owner' })).status).toBe(200)
    const before = await team(org)
    expect((await api(org, 'PATCH', `/api/v1/team/${org.userId}`, { role: 'member' })).status).toBe(200)
    expect(before.map((m) => m.user_id)).toEqual([org.userId, member.user_id])
    // The former owner's key went with their role (a key reaches as far as its maker); the new owner sees the change.
    expect((await api(org, 'GET', '/api/v1/team')).status).toBe(401)
    const roles = await env.PEOPLE.prepare(
      'select account_id, role from memberships where organization_id = ? order by role',
    )
      .bind(org.organizationId)
      .all<{ account_id: string; role: string }>()
    expect(roles.results.map((r) => [r.account_id, r.role])).toEqual([
      [org.userId, 'member'],
      [member.user_id, 'owner'],
    ])
  })
})

describe('the last owner, under concurrent changes', () => {
  it('keeps an owner when two owners demote or remove each other at the same moment', async () => {
    for (const change of ['demote', 'remove'] as const) {
      const org = await createOrg()
      const { member } = await join(org, 'admin')
      expect((await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, { role: 'owner' })).status).toBe(200)
      const db = peopleDb(env.PEOPLE)
      const act = (id: string) =>
        change === 'demote'
          ? updateMember(db, org.organizationId, id, { role: 'member' })
          : removeMember(db, org.organizationId, id)
      const outcomes = await Promise.allSettled([act(org.userId), act(member.user_id)])
      expect(
        outcomes.filter((o) => o.status === 'fulfilled'),
        change,
      ).toHaveLength(1)
      const owners = await env.PEOPLE.prepare(
        "select count(*) as n from memberships where organization_id = ? and role = 'owner'",
      )
        .bind(org.organizationId)
        .first<{ n: number }>()
      expect(owners?.n, change).toBe(1)
    }
  })
})

describe('API keys and their maker', () => {
  it("stop when their owner becomes an admin, so the key can't make its maker owner again", async () => {
    const org = await createOrg()
    const { member } = await join(org, 'admin')
    expect((await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, { role: 'owner' })).status).toBe(200)
    expect((await api(org, 'PATCH', `/api/v1/team/${org.userId}`, { role: 'admin' })).status).toBe(200)
    const back = await api(org, 'PATCH', `/api/v1/team/${org.userId}`, { role: 'owner' })
    expect(back.status).toBe(401)
    expect((await api(org, 'DELETE', `/api/v1/team/${member.user_id}`)).status).toBe(401)
    const roles = await env.PEOPLE.prepare('select account_id, role from memberships where organization_id = ?')
      .bind(org.organizationId)
      .all<{ account_id: string; role: string }>()
    expect(Object.fromEntries(roles.results.map((r) => [r.account_id, r.role]))).toEqual({
      [org.userId]: 'admin',
      [member.user_id]: 'owner',
    })
  })
})

describe('renaming someone on the team', () => {
  it("renames only someone who works for this business alone: another business's owner is theirs to name", async () => {
    const own = await createOrg({ organization_name: 'Own Business' })
    const other = await createOrg({ organization_name: 'Drain Kings' })
    // The owner of the first business joins the second as a member, through /login with the invite.
    const res = await api(other, 'POST', '/api/v1/team/invites', { email: own.email, role: 'member' })
    const token = new URL((await res.json<{ invite_url: string }>()).invite_url).pathname.split('/').pop()!
    expect((await new Staff().post('/login', { email: own.email, password: own.password, invite: token })).status).toBe(
      303,
    )

    const rename = await api(other, 'PATCH', `/api/v1/team/${own.userId}`, { name: 'Scammer Sam' })
    expect(rename.status).toBe(409)
    expect((await team(own)).find((m) => m.user_id === own.userId)!.name).not.toBe('Scammer Sam')
    // Their role and colour here stay the second business's to set.
    expect((await api(other, 'PATCH', `/api/v1/team/${own.userId}`, { color: '#22aa55' })).status).toBe(200)

    const { member } = await join(other, 'tech')
    expect((await api(other, 'PATCH', `/api/v1/team/${member.user_id}`, { name: 'Dana T.' })).status).toBe(200)
    expect((await team(other)).find((m) => m.user_id === member.user_id)!.name).toBe('Dana T.')
  })
})

describe('DELETE /api/v1/team/{user_id}', () => {
  it("ends the API keys of someone removed from the team, so a pushed-out owner can't come back", async () => {
    const org = await createOrg()
    const { member } = await join(org, 'admin')
    expect((await api(org, 'PATCH', `/api/v1/team/${member.user_id}`, { role: 'owner' })).status).toBe(200)
    // The new owner removes the first one from the team page (a key made by the first still in hand).
    const staff = new Staff()
    expect((await staff.post('/login', { email: member.email, password: 'crew password 1' })).status).toBe(303)
    const csrf = await staff.csrfToken()
    const removed = await staff.post(`/app/settings/team/${org.userId}/remove`, { _csrf: csrf })
    expect([200, 303]).toContain(removed.status)
    for (const [method, path, body] of [
      ['GET', '/api/v1/clients', undefined],
      ['POST', '/api/v1/team/invites', { email: `back-${unique()}@example.com`, role: 'owner' }],
    ] as const)
      expect((await api(org, method, path, body)).status).toBe(401)
    const invites = await env.PEOPLE.prepare('select count(*) as n from invites where organization_id = ?')
      .bind(org.organizationId)
      .first<{ n: number }>()
    expect(invites?.n).toBe(1)
  })

  it('removes a member, whose session in the business ends at once', async () => {
    const org = await createOrg()
    const { member, person } = await join(org, 'member')
    expect((await person.get('/app')).status).toBe(200)
    expect((await api(org, 'DELETE', `/api/v1/team/${member.user_id}`)).status).toBe(200)
    expect((await team(org)).map((m) => m.user_id)).toEqual([org.userId])
    const after = await person.get('/app')
    expect([after.status, after.headers.get('location')?.split('?')[0]]).toEqual([303, '/login'])
  })

  it('never removes the last owner (409)', async () => {
    const org = await createOrg()
    expect((await api(org, 'DELETE', `/api/v1/team/${org.userId}`)).status).toBe(409)
    expect(await team(org)).toHaveLength(1)
  })
})

describe('another business', () => {
  it("cannot see, change or remove a business's people: their ids are simply not found", async () => {
    const [org, stranger] = await Promise.all([createOrg(), createOrg()])
    const { member } = await join(org, 'tech')
    expect((await team(stranger)).map((m) => m.user_id)).toEqual([stranger.userId])
    expect((await api(stranger, 'PATCH', `/api/v1/team/${member.user_id}`, { role: 'owner' })).status).toBe(404)
    expect((await api(stranger, 'PATCH', `/api/v1/team/${org.userId}`, { color: '#000000' })).status).toBe(404)
    expect((await api(stranger, 'DELETE', `/api/v1/team/${member.user_id}`)).status).toBe(404)
    expect((await team(org)).find((m) => m.user_id === member.user_id)).toMatchObject({ role: 'tech' })
  })
})
