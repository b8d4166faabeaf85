/** The organization's message templates: its own wording where saved, else the defaults. */
import { and, eq } from 'drizzle-orm'
import { DEFAULT_TEMPLATES, type Channel, type Template, type TemplateKey } from '../../../src/messaging/templates'
import type { OrgDb } from '../db'
import { templates } from '../schema'

/** The template used for a message type and channel. */
export function templateFor(db: OrgDb, key: TemplateKey, channel: Channel): Template {
  const own = db
    .select()
    .from(templates)
    .where(and(eq(templates.key, key), eq(templates.channel, channel)))
    .get()
  return own ? { subject: own.subject, body: own.body } : DEFAULT_TEMPLATES[key][channel]
}

export type TemplateRow = Template & { key: TemplateKey; channel: Channel; customized: boolean }

/** Every template, saved or default. */
export function listTemplates(db: OrgDb): TemplateRow[] {
  const rows: TemplateRow[] = []
  for (const key of Object.keys(DEFAULT_TEMPLATES) as TemplateKey[]) {
    for (const channel of ['sms', 'email'] as const) {
      const own = db
        .select()
        .from(templates)
        .where(and(eq(templates.key, key), eq(templates.channel, channel)))
        .get()
      rows.push({
        key,
        channel,
        subject: own?.subject ?? DEFAULT_TEMPLATES[key][channel].subject,
        body: own?.body ?? DEFAULT_TEMPLATES[key][channel].body,
        customized: !!own,
      })
    }
  }
  return rows
}

/** Saves the organization's wording; an empty body restores the default. */
export function saveTemplate(db: OrgDb, key: TemplateKey, channel: Channel, template: Template): TemplateRow {
  if (template.body.trim() === '') {
    db.delete(templates)
      .where(and(eq(templates.key, key), eq(templates.channel, channel)))
      .run()
  } else {
    const row = { subject: template.subject, body: template.body, updatedAt: new Date().toISOString() }
    db.insert(templates)
      .values({ key, channel, ...row })
      .onConflictDoUpdate({ target: [templates.key, templates.channel], set: row })
      .run()
  }
  return listTemplates(db).find((t) => t.key === key && t.channel === channel)!
}
