/**
 * Time zones as owners know them: every IANA zone the runtime has, with the US names people type
 * ("Central", "Eastern", "Arizona"…) leading the list and found by search.
 */

/** A zone as a picker offers it: the IANA name the business stores, and what people call it. */
export type ZoneOption = { zone: string; label: string }

type NamedZone = ZoneOption & { aliases: string[] }

/** The zones US and Canadian businesses mean by their everyday names, in the order a picker offers them. */
const NAMED: NamedZone[] = [
  { zone: 'America/New_York', label: 'Eastern Time (US & Canada)', aliases: ['eastern', 'et', 'est', 'edt'] },
  { zone: 'America/Chicago', label: 'Central Time (US & Canada)', aliases: ['central', 'ct', 'cst', 'cdt'] },
  { zone: 'America/Denver', label: 'Mountain Time (US & Canada)', aliases: ['mountain', 'mt', 'mst', 'mdt'] },
  { zone: 'America/Phoenix', label: 'Arizona (Mountain Time, no daylight saving)', aliases: ['arizona'] },
  { zone: 'America/Los_Angeles', label: 'Pacific Time (US & Canada)', aliases: ['pacific', 'pt', 'pst', 'pdt'] },
  { zone: 'America/Anchorage', label: 'Alaska', aliases: ['alaska', 'akst', 'akdt'] },
  { zone: 'Pacific/Honolulu', label: 'Hawaii', aliases: ['hawaii', 'hst'] },
  { zone: 'America/Indiana/Indianapolis', label: 'Indiana (Eastern Time)', aliases: ['indiana'] },
  {
    zone: 'America/Puerto_Rico',
    label: 'Atlantic Time (Puerto Rico, US Virgin Islands)',
    aliases: ['atlantic', 'ast'],
  },
  { zone: 'America/Halifax', label: 'Atlantic Time (Canada)', aliases: ['atlantic canada'] },
  { zone: 'America/St_Johns', label: 'Newfoundland', aliases: ['newfoundland'] },
  { zone: 'America/Regina', label: 'Saskatchewan (Central Time, no daylight saving)', aliases: ['saskatchewan'] },
  { zone: 'Pacific/Guam', label: 'Guam and the Northern Mariana Islands', aliases: ['guam', 'chamorro'] },
  { zone: 'Pacific/Pago_Pago', label: 'American Samoa', aliases: ['samoa', 'american samoa'] },
]

const NAMED_BY_ZONE = new Map(NAMED.map((z) => [z.zone, z]))

/**
 * Zones the runtime still lists under a name IANA has since changed (ICU keeps the old one):
 * offered and stored under today's name, which the runtime accepts too.
 */
const RENAMED: Record<string, string> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
}

let cached: { list: ZoneOption[]; spelling: Map<string, string> } | null = null

/** Every zone: the named ones first, then each other IANA zone (Area/Location, and UTC) by name. */
export function allZones(): ZoneOption[] {
  return zones().list
}

function zones() {
  if (cached) return cached
  const names = new Set(Intl.supportedValuesOf('timeZone').map((zone) => RENAMED[zone] ?? zone))
  const others = [...names]
    .filter((zone) => isAreaLocation(zone) && !NAMED_BY_ZONE.has(zone) && accepted(zone))
    .sort()
    .map((zone) => ({ zone, label: cityOf(zone) }))
  const named = NAMED.filter((z) => accepted(z.zone)).map(({ zone, label }) => ({ zone, label }))
  const list = [...named, ...others, { zone: 'UTC', label: 'UTC' }]
  const spelling = new Map([...Object.keys(RENAMED), ...list.map((z) => z.zone)].map((z) => [z.toLowerCase(), z]))
  cached = { list, spelling }
  return cached
}

/** True when the runtime knows the zone. */
function accepted(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The zones a US business usually picks from, for a picker before anything is typed. */
export function usZones(): ZoneOption[] {
  return allZones().filter((z) => NAMED_BY_ZONE.has(z.zone))
}

/**
 * The IANA name of `input` as it is spelled ("america/chicago" → "America/Chicago", "Asia/Calcutta"
 * → "Asia/Kolkata"), or null unless it names a real zone of the Area/Location kind (or UTC).
 * Abbreviations ("EST"), POSIX-style names ("CST6CDT"), links ("US/Central") and made-up places are refused.
 */
export function ianaZone(input: string): string | null {
  const text = input.trim()
  if (text.toUpperCase() === 'UTC') return 'UTC'
  if (text.length > 64 || !isAreaLocation(text) || !accepted(text)) return null
  const spelled = zones().spelling.get(text.toLowerCase()) ?? text
  return RENAMED[spelled] ?? spelled
}

/** The zones whose name, everyday name or IANA name contains `query` (any case, "_" as a space), named ones first. */
export function searchZones(query: string, limit = 20): ZoneOption[] {
  const q = normalize(query)
  if (q === '') return usZones().slice(0, limit)
  return allZones()
    .filter((z) => haystack(z).includes(q))
    .slice(0, limit)
}

/**
 * What a person typed in the time-zone field, as the zone to store: an IANA name, or an everyday
 * name ("Central", "Pacific Time") that names one zone. Null when it is neither.
 */
export function zoneFromInput(input: string): string | null {
  const exact = ianaZone(input)
  if (exact) return exact
  const q = normalize(input).replace(/ time$/, '')
  const named = NAMED.find((z) => z.aliases.includes(q) || normalize(z.label) === normalize(input))
  return named ? named.zone : null
}

/** How a picker shows a zone: "Central Time (US & Canada) · America/Chicago", or the IANA name alone. */
export function zoneLabel(zone: string): string {
  const named = NAMED_BY_ZONE.get(zone)
  return named ? `${named.label} · ${zone}` : zone
}

/** "America/Argentina/Buenos_Aires" → "Buenos Aires (Argentina)": the place, for zones without an everyday name. */
function cityOf(zone: string): string {
  const parts = zone.split('/').map((p) => p.replace(/_/g, ' '))
  const city = parts[parts.length - 1]!
  return parts.length > 2 ? `${city} (${parts.slice(1, -1).join(', ')})` : city
}

function haystack(z: ZoneOption): string {
  const named = NAMED_BY_ZONE.get(z.zone)
  return normalize([z.zone, z.label, ...(named?.aliases ?? [])].join(' | '))
}

const normalize = (s: string) => s.trim().toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ')

/** "Area/Location" names: the zones people live in (not "EST", "CST6CDT" or "Etc/GMT+5"). */
function isAreaLocation(zone: string): boolean {
  return /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z0-9_+\-/]+$/i.test(
    zone,
  )
}
