/** Who wrote a card value, in words ("by staff@example.com", "from Jobber"), and the small print that says so. */
import type { CardSource, Provenance } from '../../durable-objects/org/schema'
import { PROVIDER_NAMES } from '../integrations/page'

/** "Jobber" from a connection's author name (`jobber:<connection id>`). */
function crmName(by: string | null): string {
  const provider = (by ?? '').split(':')[0] ?? ''
  return (PROVIDER_NAMES as Record<string, string>)[provider] ?? 'your CRM'
}

/** Who wrote something, as the end of a sentence: "by staff@example.com", "from Jobber", "by the homeowner". */
export function byWhom(source: string, by: string | null): string {
  switch (source as CardSource) {
    case 'staff':
      return by ? `by ${by}` : 'by staff'
    case 'api':
      return 'through the API'
    case 'import':
      return 'by an import'
    case 'crm':
      return `from ${crmName(by)}`
    case 'homeowner':
      return 'by the homeowner'
    default:
      return by ? `by ${by}` : ''
  }
}

/** Where a card value came from, for the small print beside it: "added by staff@x", "from the homeowner", "from import", "from Jobber". */
export function origin(source: string, by: string | null): string {
  switch (source as CardSource) {
    case 'staff':
      return `added by ${by ?? 'staff'}`
    case 'api':
      return 'added through the API'
    case 'import':
      return 'from import'
    case 'crm':
      return `from ${crmName(by)}`
    case 'homeowner':
      return 'from the homeowner'
    default:
      return ''
  }
}

const days = new Map<string, Intl.DateTimeFormat>()

/** "Dec 3": the day something was written, in the business's zone. */
function day(at: string, tz: string): string {
  let f = days.get(tz)
  if (!f) days.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, month: 'short', day: 'numeric' })))
  return f.format(new Date(at))
}

/** The small print beside a card value: "added by staff@example.com · Dec 3", "from Jobber · Dec 3". */
export function Origin({ p, tz }: { p: Provenance | undefined; tz: string }) {
  if (!p) return null
  const where = origin(p.source, p.by)
  return (
    <div class="muted small" data-testid="origin">
      {where ? `${where} · ` : ''}
      {day(p.at, tz)}
    </div>
  )
}
