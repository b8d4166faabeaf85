/** One RPC entry per domain: only the module's own public methods can be reached by name. */
import { describe, expect, it } from 'vitest'
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

  it('refuses a method the façade keeps for itself (campaigns: schedule goes through sendCampaign)', () => {
    expect(() => callPublic(new Module(1), 'test', 'add', [1], ['add'])).toThrow('test: no method add')
  })
})
