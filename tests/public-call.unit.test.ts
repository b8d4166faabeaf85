/** One RPC entry per domain: only the module's own public methods can be reached by name. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { orgStub } from '../src/organizations'
import { createOrg } from './helpers/factories'
import { callPublic } from '../durable-objects/org/public-call'

class Module {
  readonly secret = 'field'
  constructor(private readonly base: number) {}
  add(n: number) {
    return this.base + n
  }
  _internal() {
    return 'hidden'
  }
}

describe('callPublic', () => {
  it("calls a method of the module's own class with its arguments", () => {
    expect(callPublic(new Module(40), 'test', 'add', [2])).toBe(42)
  })

  it('refuses the constructor, a field, a `_` name, an inherited or an unknown name', () => {
    const m = new Module(1)
    for (const name of ['constructor', 'secret', 'base', '_internal', 'toString', 'hasOwnProperty', 'nope'])
      expect(() => callPublic(m, 'test', name, []), name).toThrow(`test: no method ${name}`)
  })
})

describe('the campaigns entry', () => {
  it('does not schedule a campaign past sendCampaign, which also runs the due work', async () => {
    const org = await createOrg()
    await expect(orgStub(env, org.organizationId).campaignsCall('schedule', ['x', null, new Date()])).rejects.toThrow(
      'campaigns: send through sendCampaign',
    )
  })
})
