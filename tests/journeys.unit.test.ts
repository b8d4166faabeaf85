import { describe, expect, it } from 'vitest'
import { checkSteps, mergeSettings, type StepInput } from '../durable-objects/org/journeys/definitions'
import { applyEdit } from '../durable-objects/org/journeys/edits'
import { reentryAllows } from '../durable-objects/org/journeys/enroll'
import { waitEnds } from '../durable-objects/org/journeys/steps'
import { stopConditionOf } from '../durable-objects/org/journeys/triggers'
import { wordingOf } from '../durable-objects/org/journeys/wording'
import { AppError } from '../src/errors'

const sms = (body: string): StepInput => ({ type: 'sms', body })
const vars = {
  first_name: 'Ana',
  business_name: 'Shine Co',
  portal_link: 'https://x.test/p/1',
  review_link: 'https://x.test/r/1',
}

describe('waitEnds', () => {
  it('keeps the wall-clock time of whole-day waits across both daylight-saving changes', () => {
    expect(waitEnds(new Date('2030-03-09T18:00:00Z'), 1440, 'America/Los_Angeles').toISOString()).toBe(
      '2030-03-10T17:00:00.000Z',
    )
    expect(waitEnds(new Date('2030-11-02T16:30:15Z'), 2 * 1440, 'America/Los_Angeles').toISOString()).toBe(
      '2030-11-04T17:30:15.000Z',
    )
  })

  it('counts other waits in exact minutes, even across a change', () => {
    expect(waitEnds(new Date('2030-03-10T09:30:00Z'), 120, 'America/Los_Angeles').toISOString()).toBe(
      '2030-03-10T11:30:00.000Z',
    )
  })
})

describe('applyEdit', () => {
  const branch: StepInput = { type: 'branch', condition: 'replied', on_true: 3, on_false: 'end' }

  it('moves a step and keeps a branch pointed at the same step', () => {
    const steps = [sms('a'), branch, sms('b'), sms('c')]
    const moved = applyEdit(steps, { op: 'move', position: 2, by: 1 })
    expect(moved.map((s) => (s.type === 'sms' ? s.body : s.type))).toEqual(['a', 'branch', 'c', 'b'])
    expect(moved[1]).toMatchObject({ on_true: 2, on_false: 'end' })
  })

  it('sends a branch on to the next step when its target is deleted or moved before it', () => {
    expect(applyEdit([sms('a'), branch, sms('b'), sms('c')], { op: 'delete', position: 3 })[1]).toMatchObject({
      on_true: 'continue',
    })
    expect(applyEdit([branch, sms('a'), sms('b'), sms('c')], { op: 'move', position: 0, by: 1 })[1]).toMatchObject({
      on_true: 3,
    })
  })

  it('refuses a step that is not there', () => {
    expect(() => applyEdit([sms('a')], { op: 'delete', position: 1 })).toThrow(AppError)
  })
})

describe('checkSteps', () => {
  it('allows forward jumps and refuses jumps back, to itself or past the end', () => {
    expect(() =>
      checkSteps([{ type: 'branch', condition: 'job_booked', on_true: 1 }, sms('a')], 'active'),
    ).not.toThrow()
    for (const target of [0, 2])
      expect(() =>
        checkSteps([{ type: 'branch', condition: 'job_booked', on_true: target }, sms('a')], 'active'),
      ).toThrow(AppError)
  })

  it('lets a draft have no steps but not an active journey', () => {
    expect(() => checkSteps([], 'draft')).not.toThrow()
    expect(() => checkSteps([], 'active')).toThrow(AppError)
  })
})

describe('stopConditionOf', () => {
  it('maps events to stop conditions', () => {
    expect(stopConditionOf({ type: 'replied', data: {} })).toBe('replied')
    expect(stopConditionOf({ type: 'sms_opt_out', data: {} })).toBe('opted_out')
    expect(stopConditionOf({ type: 'consent_changed', data: { sms_opt_in: true, email_opt_in: false } })).toBe(
      'opted_out',
    )
    expect(
      stopConditionOf({
        type: 'consent_changed',
        data: { sms_opt_in: true, email_opt_in: true, marketing_email_opt_in: false },
      }),
    ).toBe('opted_out')
    expect(
      stopConditionOf({
        type: 'consent_changed',
        data: { sms_opt_in: true, email_opt_in: true, marketing_email_opt_in: true },
      }),
    ).toBeNull()
    expect(stopConditionOf({ type: 'consent_changed', data: { sms_opt_in: true, email_opt_in: true } })).toBeNull()
    expect(stopConditionOf({ type: 'job_completed', data: {} })).toBeNull()
  })
})

describe('reentryAllows', () => {
  it('defaults to 180 days and honours never and after_days', () => {
    expect(reentryAllows({}, '2030-01-01T00:00:00Z', '2030-06-29T23:59:59Z')).toBe(false)
    expect(reentryAllows({}, '2030-01-01T00:00:00Z', '2030-06-30T00:00:00Z')).toBe(true)
    expect(reentryAllows({ reentry: { mode: 'never' } }, '2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z')).toBe(false)
    expect(
      reentryAllows({ reentry: { mode: 'after_days', days: 7 } }, '2030-01-01T00:00:00Z', '2030-01-08T00:00:00Z'),
    ).toBe(true)
  })
})

describe('mergeSettings', () => {
  it('replaces given keys, keeps the others, and clears with null', () => {
    expect(
      mergeSettings(
        { stop_on: ['replied'], quiet_hours: { start: '20:00', end: '08:00' } },
        { quiet_hours: null, reentry: { mode: 'never' } },
      ),
    ).toEqual({ stop_on: ['replied'], reentry: { mode: 'never' } })
  })
})

describe('wordingOf', () => {
  it('words a review request by default and always carries its link', () => {
    expect(wordingOf({ type: 'review_request', channel: 'sms' }, vars).body).toBe(
      'Hi Ana, thanks for choosing Shine Co! How did we do? https://x.test/r/1',
    )
    expect(wordingOf({ type: 'review_request', channel: 'email', body: 'Rate us, {{first_name}}' }, vars)).toEqual({
      channel: 'email',
      subject: 'How did we do, Ana?',
      body: 'Rate us, Ana\n\nhttps://x.test/r/1',
    })
  })
})
