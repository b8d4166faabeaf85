/**
 * The export as a zip of CSV files, one per table (plus organization.csv), compressed as it is
 * read: each page of rows goes through fflate's streaming deflate and out, so memory holds a page.
 */
import { strToU8, Zip, ZipDeflate } from 'fflate'
import { csvLine, csvRows } from './csv'
import type { Source } from './sources'

/** The zip's bytes in pieces, pulled one page of one table at a time. */
export async function* zipChunks(organization: Record<string, unknown>, sources: Source[]): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((error, chunk) => {
    if (error) failure = error
    else out.push(chunk)
  })
  const drain = function* () {
    if (failure) throw failure
    while (out.length > 0) yield out.shift()!
  }

  const keys = Object.keys(organization)
  const orgFile = new ZipDeflate('organization.csv', { level: 6 })
  zip.add(orgFile)
  orgFile.push(strToU8(csvLine(keys) + csvLine(keys.map((k) => organization[k]))), true)
  yield* drain()

  for (const source of sources) {
    const file = new ZipDeflate(`${source.name}.csv`, { level: 6 })
    zip.add(file)
    file.push(strToU8(csvLine([...source.columns])))
    for await (const rows of source.pages()) {
      file.push(strToU8(csvRows(source.columns, rows)))
      yield* drain()
    }
    file.push(new Uint8Array(0), true)
    yield* drain()
  }
  zip.end()
  yield* drain()
}
