/** The `events` queue consumer: fans registry changes out to the organizations that hold the person. */
import { peopleDb } from '../db'
import type { Env } from '../env'
import { orgStub } from '../organizations'
import { organizationsOf } from '../people/registry'
import type { EventMessage } from './messages'

/** Handles one batch; each message is acknowledged alone, so one failure retries only itself. */
export async function handleEventBatch(batch: MessageBatch<EventMessage>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      await handleEvent(message.body, env)
      message.ack()
    } catch (error) {
      console.error('events: message failed, will retry', message.id, error)
      message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts * 5) })
    }
  }
}

/** Applies one event. */
export async function handleEvent(event: EventMessage, env: Env): Promise<void> {
  switch (event.type) {
    case 'contact_updated': {
      const orgIds = await organizationsOf(peopleDb(env.PEOPLE), event.snapshot.person_id)
      await Promise.all(orgIds.map((id) => orgStub(env, id).applyPersonSnapshot(event.snapshot)))
      return
    }
  }
}
