/** The tone the assistant read of a client's reply, as a small badge beside it. */
import type { SentimentLabel } from '../../src/sales/ai/sentiment'

const WORDS: Record<SentimentLabel, string> = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' }

/** "Negative" in red, "Positive" in green, "Neutral" in grey; nothing when the tone was not read. */
export function SentimentBadge({ sentiment }: { sentiment?: SentimentLabel | null }) {
  if (!sentiment) return null
  return (
    <span
      class={`badge badge-tone badge-tone-${sentiment}`}
      data-testid="sentiment"
      data-sentiment={sentiment}
      title="How the reply reads (the assistant's lexicon)"
    >
      {WORDS[sentiment]}
    </span>
  )
}
