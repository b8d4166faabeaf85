/**
 * The tone of a client's reply without a model: the `sentiment` library's AFINN-165 lexicon
 * (negation-aware). Its comparative score is the sum of the words' scores over the word count.
 */
import Sentiment from 'sentiment'

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type SentimentLabel = (typeof SENTIMENTS)[number]

/**
 * The thresholds: positive needs a score of at least 2 and a comparative of at least 0.3 ("Thanks!",
 * "the house looks amazing"); negative a score of at most -2 and a comparative of at most -0.1
 * ("not happy, the kitchen was still dirty", or one "very disappointed" in a dozen plain words: an
 * unhappy client missed costs more than a worried one flagged). Anything between is neutral, so
 * one stray word of a question ("how much would a deep clean cost?") does not colour it.
 */
export const POSITIVE = { score: 2, comparative: 0.3 }
export const NEGATIVE = { score: -2, comparative: -0.1 }

const lexicon = new Sentiment()

export type SentimentReading = { sentiment: SentimentLabel; score: number; comparative: number }

/** Reads the tone of `text`. */
export function readSentiment(text: string): SentimentReading {
  const { score, comparative } = lexicon.analyze(text)
  const rounded = Math.round(comparative * 1000) / 1000
  if (score >= POSITIVE.score && comparative >= POSITIVE.comparative)
    return { sentiment: 'positive', score, comparative: rounded }
  if (score <= NEGATIVE.score && comparative <= NEGATIVE.comparative)
    return { sentiment: 'negative', score, comparative: rounded }
  return { sentiment: 'neutral', score, comparative: rounded }
}
