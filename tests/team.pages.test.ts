/** /app/settings/team: the team with roles and colours, changing a role or colour, removing someone, and who may. */
import { describe, expect, it } from 'vitest'
import { Staff } from './helpers/browserless'
import { api, createClient, createOrg, type TestOrg, unique } from './helpers/factories'
import { teammate } from './helpers/team'

type Member = { user_id: string; email: string; name: string | null; role: string; color: string }

const team = async (org: TestOrg) => (await (await api(org, 'GET', '/api/v1/team')).json<{ items: Member[] }>()).items

async function signIn(org: TestOrg) {
  const owner = new Staff()
  await owner.post('/login', { email: org.email, password: org.password })
  return owner
}

/** A teammate who signs in with their own browser. */
async function joinAs(org: TestOrg, role: 'admin' | 'member' | 'tech') {
  const email = `crew-${unique()}@example.com`
  const { invite_url } = await (await api(org, 'POST', '/api/v1/team/invites', { email, role })).json<{
    invite_url: string
  }>()
  const person = new Staff()
  expect((await person.post(new URL(invite_url).pathname, { password: 'crew password 1' })).status).toBe(303)
  return { id: (await team(org)).find((m) => m.email === email)!.user_id, person }
}

const htmx = { 'hx-request': 'true' }

describe('the Team page', () => {
  it('lists everyone with their role and colour, and the invites not accepted yet', async () => {
    const org = await createOrg()
    const dana = await teammate(org, { name: 'Dana Tech', color: '#aa3300' })
    await api(org, 'POST', '/api/v1/team/invites', { email: 'waiting@example.com', role: 'member' })
    const owner = await signIn(org)
    expect(await (await owner.get('/app/settings')).text()).toContain('href="/app/settings/team"')
    const html = await (await owner.get('/app/settings/team')).text()
    expect(html).toMatch(new RegExp(`id="member-${dana}"[^>]*data-role="tech" data-color="#aa3300"`))
    expect(html).toContain('background:#aa3300')
    expect(html).toContain('Dana Tech')
    expect(html).toMatch(new RegExp(`id="member-${org.userId}"[^>]*data-role="owner"`))
    expect(html).toContain('waiting@example.com')
    expect(html).toContain(`action="/app/settings/team/${dana}/remove"`)
  })

  it('changes a role and a colour with htmx, answering the row, and without JavaScript, back to the page', async () => {
    const org = await createOrg()
    const dana = await teammate(org, { role: 'member' })
    const owner = await signIn(org)
    const csrf = await owner.csrfToken()
    const res = await owner.post(`/app/settings/team/${dana}`, { role: 'tech', color: '#118833', _csrf: csrf }, htmx)
    expect(res.status).toBe(200)
    const row = await res.text()
    expect(row).toMatch(/^<li[^>]*id="member-/)
    expect(row).toContain('data-role="tech"')
    expect(row).toContain('Saved.')
    expect((await team(org)).find((m) => m.user_id === dana)).toMatchObject({ role: 'tech', color: '#118833' })
    // A member who became a tech is one of the review funnel's techs.
    const techs = await (await api(org, 'GET', '/api/v1/techs')).json<{ items: { user_id?: string | null }[] }>()
    expect(techs.items.some((t) => t.user_id === dana)).toBe(true)

    const plain = await owner.post(`/app/settings/team/${dana}`, { role: 'admin', color: '#222222', _csrf: csrf })
    expect([plain.status, plain.headers.get('location')]).toEqual([303, `/app/settings/team#member-${dana}`])
    expect((await team(org)).find((m) => m.user_id === dana)).toMatchObject({ role: 'admin', color: '#222222' })
  })

  it('refuses a role it does not know, and a colour that is not one, changing nothing', async () => {
    const org = await createOrg()
    const dana = await teammate(org, { color: '#aa3300' })
    const owner = await signIn(org)
    const csrf = await owner.csrfToken()
    for (const fields of [
      { role: 'boss', color: '#000000' },
      { role: 'member', color: 'red' },
    ]) {
      const res = await owner.post(`/app/settings/team/${dana}`, { ...fields, _csrf: csrf })
      expect(res.status).toBe(422)
      expect(await res.text()).toContain('data-testid="row-error"')
    }
    expect((await team(org)).find((m) => m.user_id === dana)).toMatchObject({ role: 'tech', color: '#aa3300' })
  })

  it('removes someone: off the team, off upcoming crews (past visits keep them), signed out', async () => {
    const org = await createOrg()
    const { id: dana, person } = await joinAs(org, 'tech')
    const client = await createClient(org, { first_name: 'Fay', email: `fay-${unique()}@example.com` })
    const book = async (start: string) =>
      (
        await (
          await api(org, 'POST', '/api/v1/jobs', {
            org_client_id: client.org_client_id,
            start_at: start,
            assigned_to: [dana],
            notify: false,
          })
        ).json<{ job: { id: string } }>()
      ).job.id
    const past = await book('2021-03-01T15:00:00Z')
    const coming = await book('2031-03-01T15:00:00Z')
    expect((await person.get('/app')).status).toBe(200)

    const owner = await signIn(org)
    const res = await owner.post(`/app/settings/team/${dana}/remove`, { _csrf: await owner.csrfToken() }, htmx)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('was removed from the team')
    expect((await team(org)).map((m) => m.user_id)).toEqual([org.userId])
    const crewOf = async (id: string) =>
      ((await (await api(org, 'GET', `/api/v1/jobs/${id}`)).json()) as { assigned_to: string[] }).assigned_to
    expect(await crewOf(coming)).toEqual([])
    expect(await crewOf(past)).toEqual([dana])
    const after = await person.get('/app')
    expect([after.status, after.headers.get('location')?.split('?')[0]]).toEqual([303, '/login'])
  })

  it('never demotes or removes the last owner, and says why beside the row', async () => {
    const org = await createOrg()
    const owner = await signIn(org)
    const csrf = await owner.csrfToken()
    const demote = await owner.post(`/app/settings/team/${org.userId}`, {
      role: 'member',
      color: '#000000',
      _csrf: csrf,
    })
    expect(demote.status).toBe(409)
    expect(await demote.text()).toContain('A business needs an owner')
    const removed = await owner.post(`/app/settings/team/${org.userId}/remove`, { _csrf: csrf }, htmx)
    expect(removed.status).toBe(409)
    const row = await removed.text()
    expect(row).toMatch(/^<li[^>]*id="member-/)
    expect(row).toContain('A business needs an owner')
    expect(await team(org)).toMatchObject([{ user_id: org.userId, role: 'owner' }])
  })

  it('shows members the team without the controls, and refuses their posts (403)', async () => {
    const org = await createOrg()
    const { person } = await joinAs(org, 'member')
    const html = await (await person.get('/app/settings/team')).text()
    expect(html).toContain(org.email)
    expect(html).not.toContain('/remove"')
    const csrf = await person.csrfToken()
    expect(
      (await person.post(`/app/settings/team/${org.userId}`, { role: 'member', color: '#000000', _csrf: csrf })).status,
    ).toBe(403)
    expect((await person.post(`/app/settings/team/${org.userId}/remove`, { _csrf: csrf })).status).toBe(403)
    expect(await team(org)).toHaveLength(2)
  })

  it('lets an admin manage members but not give or take the owner role', async () => {
    const org = await createOrg()
    const { person: admin } = await joinAs(org, 'admin')
    const dana = await teammate(org, { role: 'member' })
    const csrf = await admin.csrfToken()
    expect(
      (await admin.post(`/app/settings/team/${dana}`, { role: 'tech', color: '#123456', _csrf: csrf })).status,
    ).toBe(303)
    const promote = await admin.post(`/app/settings/team/${dana}`, { role: 'owner', color: '#123456', _csrf: csrf })
    expect(promote.status).toBe(403)
    expect((await admin.post(`/app/settings/team/${org.userId}/remove`, { _csrf: csrf })).status).toBe(403)
    expect((await team(org)).map((m) => m.role)).toEqual(['owner', 'admin', 'tech'])
  })

  it("finds no one of another business's team, and changes nothing there", async () => {
    const [org, stranger] = await Promise.all([createOrg(), createOrg()])
    const dana = await teammate(org, { color: '#aa3300' })
    const intruder = await signIn(stranger)
    const csrf = await intruder.csrfToken()
    expect(
      (await intruder.post(`/app/settings/team/${dana}`, { role: 'owner', color: '#000000', _csrf: csrf })).status,
    ).toBe(404)
    expect((await intruder.post(`/app/settings/team/${dana}/remove`, { _csrf: csrf })).status).toBe(404)
    expect((await intruder.post(`/app/settings/team/${org.userId}/remove`, { _csrf: csrf })).status).toBe(404)
    expect(await (await intruder.get('/app/settings/team')).text()).not.toContain(dana)
    expect((await team(org)).map((m) => [m.role, m.color])).toEqual([
      ['owner', expect.any(String)],
      ['tech', '#aa3300'],
    ])
  })

  it('still invites from the Team page: the link makes a new member', async () => {
    const org = await createOrg()
    const owner = await signIn(org)
    expect(await (await owner.get('/app/settings/team')).text()).toContain('action="/app/settings/invites"')
    const email = `new-${unique()}@example.com`
    const res = await owner.post('/app/settings/invites', { email, role: 'member', _csrf: await owner.csrfToken() })
    expect(res.status).toBe(201)
    const link = (await res.text()).match(/data-testid="invite-link">([^<]+)</)![1]!
    expect(await (await owner.get('/app/settings/team')).text()).toContain(email)
    expect((await new Staff().post(new URL(link).pathname, { password: 'new password 1' })).status).toBe(303)
    expect((await team(org)).find((m) => m.email === email)).toMatchObject({ role: 'member' })
  })
})
