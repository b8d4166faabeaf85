/**
 * The assistant's pieces on their own: reading a model's answer (only complete JSON with a known
 * priority counts), the tone thresholds, what a reply seems to ask, and how days are worded.
 */
import { describe, expect, it } from 'vitest'
import { intentOf } from '../durable-objects/org/sales/assistant/drafts'
import { parseAnswer, textOf } from '../durable-objects/org/sales/assistant/model'
import { readSentiment } from '../durable-objects/org/sales/assistant/sentiment'
import { agoWords, dayWord } from '../durable-objects/org/sales/assistant/wording'

describe("reading a model's answer", () => {
  const ok = { summary: 'S.', next_action: 'Do it', priority: 'high' }

  it('takes the JSON out of fences or words around it, trimming and lower-casing the priority', () => {
    expect(parseAnswer(`Here you go:\n\`\`\`json\n${JSON.stringify({ ...ok, priority: ' HIGH ' })}\n\`\`\``)).toEqual(
      ok,
    )
  })

  it('refuses prose, cut-off JSON, a missing field, an empty one and an unknown priority', () => {
    for (const raw of [
      'Call Ana today.',
      '{"summary": "S.", "next_action": "Do',
      JSON.stringify({ summary: 'S.', priority: 'low' }),
      JSON.stringify({ ...ok, next_action: '  ' }),
      JSON.stringify({ ...ok, priority: 'urgent' }),
    ])
      expect(parseAnswer(raw)).toBeNull()
  })

  it("reads Workers AI's shapes: {response} as text or object, and chat completions", () => {
    expect(textOf({ response: 'hi' })).toBe('hi')
    expect(textOf({ response: ok })).toBe(JSON.stringify(ok))
    expect(textOf({ choices: [{ message: { content: 'hey' } }] })).toBe('hey')
    expect(textOf(null)).toBe('null')
  })
})

describe('the tone of a reply', () => {
  it('needs a clear lean either way; a stray word of a question stays neutral', () => {
    expect(readSentiment('Thanks!').sentiment).toBe('positive')
    expect(readSentiment('Thank you so much, the house looks amazing').sentiment).toBe('positive')
    expect(readSentiment('Not happy with the cleaning, the kitchen was still dirty').sentiment).toBe('negative')
    expect(readSentiment('I want a refund, this was terrible').sentiment).toBe('negative')
    expect(readSentiment('The pool is still green and nobody came back. Very disappointed.').sentiment).toBe('negative')
    expect(readSentiment('How much would a deep clean cost?').sentiment).toBe('neutral')
    expect(readSentiment('Great job but you forgot the bathroom').sentiment).toBe('neutral')
    expect(readSentiment('Can we move Tuesday to Thursday?')).toEqual({
      sentiment: 'neutral',
      score: 0,
      comparative: 0,
    })
  })
})

describe('what a reply seems to ask', () => {
  it('puts a complaint (or a negative tone) before another time, a price and thanks', () => {
    expect(intentOf('Thanks, but the crew never showed', null)).toBe('complaint')
    expect(intentOf('ok', 'negative')).toBe('complaint')
    expect(intentOf("I can't make Tuesday, can we reschedule?", 'neutral')).toBe('reschedule')
    expect(intentOf('What would you charge for the windows?', null)).toBe('price')
    expect(intentOf('Thank you!', 'positive')).toBe('thanks')
    expect(intentOf('See you at 9', null)).toBe('other')
    expect(intentOf(null, null)).toBe('none')
  })
})

describe('days in words', () => {
  it('says today, yesterday, the weekday within a week, else the date', () => {
    const tz = 'America/Los_Angeles'
    expect(dayWord('2026-12-08T20:00:00Z', tz, '2026-12-08')).toBe('today')
    expect(dayWord('2026-12-07T20:00:00Z', tz, '2026-12-08')).toBe('yesterday')
    expect(dayWord('2026-12-04T20:00:00Z', tz, '2026-12-08')).toBe('Friday')
    expect(dayWord('2026-11-28', tz, '2026-12-08')).toBe('Nov 28')
    // 02:00 UTC on the 8th is still the 7th in Los Angeles.
    expect(dayWord('2026-12-08T02:00:00Z', tz, '2026-12-08')).toBe('yesterday')
    expect([agoWords(0), agoWords(1), agoWords(6)]).toEqual(['today', '1 day ago', '6 days ago'])
  })
})
