/**
 * A connection's sync settings (seed 003's "CRM settings"): what goes to the CRM and what its
 * events do here. Stored in `connections.settings` beside the provider's own settings; anything
 * unset takes the default (every sync on, every CRM event that stops journeys, no service map).
 */
import { z } from 'zod'
import type { ConnectionSettings } from '../schema'

/** CRM events that may end a client's journey and campaign enrollments. */
export const CRM_STOP_EVENTS = ['job_booked', 'job_completed', 'customer_contacted', 'invoice_paid'] as const
export type CrmStopEvent = (typeof CRM_STOP_EVENTS)[number]

/** The settings with their defaults applied. */
export type SyncSettings = {
  sync_messages: boolean
  sync_calls: boolean
  push_new_clients: boolean
  stop_journeys_on: CrmStopEvent[]
  service_map: Record<string, string>
}

export function syncSettings(settings: ConnectionSettings | null | undefined): SyncSettings {
  const s = settings ?? {}
  return {
    sync_messages: s.sync_messages ?? true,
    sync_calls: s.sync_calls ?? true,
    push_new_clients: s.push_new_clients ?? true,
    stop_journeys_on: (s.stop_journeys_on ?? [...CRM_STOP_EVENTS]).filter((e): e is CrmStopEvent =>
      (CRM_STOP_EVENTS as readonly string[]).includes(e),
    ),
    service_map: { ...(s.service_map ?? {}) },
  }
}

/** `PATCH /api/v1/integrations/{id}` `{settings}`: each field optional; what is sent replaces what was. */
export const syncSettingsPatch = z
  .object({
    sync_messages: z.boolean(),
    sync_calls: z.boolean(),
    push_new_clients: z.boolean(),
    stop_journeys_on: z.array(z.enum(CRM_STOP_EVENTS)).max(CRM_STOP_EVENTS.length),
    service_map: z
      .record(z.string().trim().min(1).max(100), z.string().trim().min(1).max(100))
      .refine((m) => Object.keys(m).length <= 500, 'has more than 500 job types'),
  })
  .partial()
  .strict()
