/** The export as one JSON document, written as it is read so a business of any size never sits in memory at once. */
import type { Source } from './sources'

export const EXPORT_FORMAT = 'homebase-export'
export const EXPORT_VERSION = 1

/** The document's text in pieces: the header, then each table's rows page by page. */
export async function* jsonChunks(
  organization: Record<string, unknown>,
  sources: Source[],
  exportedAt: string,
): AsyncGenerator<string> {
  const head = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: exportedAt, organization }
  yield JSON.stringify(head).slice(0, -1)
  for (const source of sources) {
    yield `,${JSON.stringify(source.name)}:[`
    let first = true
    for await (const rows of source.pages()) {
      const text = rows.map((r) => JSON.stringify(r)).join(',\n')
      yield first ? `\n${text}` : `,\n${text}`
      first = false
    }
    yield ']'
  }
  yield '}\n'
}

/** A byte stream that pulls the next piece only when the reader wants more. */
export function streamOf(chunks: AsyncGenerator<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : next.value)
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
}
