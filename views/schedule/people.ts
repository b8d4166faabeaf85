/** The team as the calendar shows it: a name, a colour and initials for each person. */

export type Person = { id: string; name: string; color: string; initials: string }

/** Someone on a crew who is no longer on the team. */
export const LEFT_TEAM: Person = { id: '', name: 'Someone who left', color: '#6b7280', initials: 'SW' }

/** Each person by user id. */
export const byId = (team: Person[]) => new Map(team.map((p) => [p.id, p]))

/** Initials of a name or an email: "Dana Lee" → "DL". */
export function initials(name: string): string {
  return name
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('')
}
