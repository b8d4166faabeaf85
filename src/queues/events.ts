/** The `events` queue consumer: registry changes fanned out to the organizations holding the person, and import batches. */
import { peopleDb } from '../db'
import type { Env } from '../env'
import { runImportBatch } from '../imports/run'
import { orgStub } from '../organizations'
import { organizationsOf } from '../people/registry'
import type { EventMessage } from './messages'

/**
 * Handles one batch, its messages concurrently (they are mostly different organizations' work, and
 * none depends on another's order: snapshots carry versions, import batches count once).
 * Each message is acknowledged alone, so one failure retries only itself.
 */
export async function handleEventBatch(batch: MessageBatch<EventMessage>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map(async (message) => {
    try {
      await handleEvent(message.body, env, message.attempts)
      message.ack()
    } catch (error) {
      console.error('events: message failed, will retry', message.id, error)
      message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts * 5) })
    }
  }))
}

/** Applies one event; `attempts` counts this delivery (1 the first time). */
export async function handleEvent(event: EventMessage, env: Env, attempts = 1): Promise<void> {
  switch (event.type) {
    case 'contact_updated': {
      const orgIds = await organizationsOf(peopleDb(env.PEOPLE), event.snapshot.person_id)
      await Promise.all(orgIds.map((id) => orgStub(env, id).applyPersonSnapshot(event.snapshot)))
      return
    }
    case 'import_rows':
      return runImportBatch(env, event, attempts)
    case 'run_due':
      await orgStub(env, event.organization_id).runDueWork()
      return
  }
}
