/** The `events` queue consumer: import batches, due work, CRM webhooks and pushes to CRMs. */
import type { Env } from '../env'
import { processCrmWebhook } from '../integrations/inbound/process'
import { runImportBatch } from '../imports/run'
import { pushToCrm } from '../integrations/push'
import { RetryLater } from '../integrations/retry'
import { orgStub } from '../organizations'
import type { EventMessage } from './messages'

/**
 * Handles one batch. Organization work (run_due, CRM webhooks) runs concurrently: each message
 * is another organization's. Import batches run one after another,
 * since each is a bulk write to the one D1 registry. Each message is acknowledged alone.
 */
export async function handleEventBatch(batch: MessageBatch<EventMessage>, env: Env): Promise<void> {
  const imports = batch.messages.filter((m) => m.body.type === 'import_rows')
  const others = batch.messages.filter((m) => m.body.type !== 'import_rows')
  await Promise.all([
    Promise.all(others.map((message) => settle(message, env))),
    (async () => { for (const message of imports) await settle(message, env) })(),
  ])
}

async function settle(message: Message<EventMessage>, env: Env): Promise<void> {
  try {
    await handleEvent(message.body, env, message.attempts)
    message.ack()
  } catch (error) {
    console.error('events: message failed, will retry', message.id, error)
    message.retry({ delaySeconds: error instanceof RetryLater ? error.delaySeconds : Math.min(300, 2 ** message.attempts * 5) })
  }
}

/** Applies one event; `attempts` counts this delivery (1 the first time). */
export async function handleEvent(event: EventMessage, env: Env, attempts = 1): Promise<void> {
  switch (event.type) {
    case 'import_rows':
      return runImportBatch(env, event, attempts)
    case 'run_due':
      await orgStub(env, event.organization_id).runDueWork()
      return
    case 'check_schedule':
      return orgStub(env, event.organization_id).checkSchedule(event.organization_id)
    case 'crm_push':
      return pushToCrm(env, event, attempts)
    case 'crm_webhook':
      return processCrmWebhook(env, event, attempts)
    default:
      // A message of a kind no longer sent (the registry's old contact fan-out) is dropped: cards are each business's own.
      console.warn('events: dropped a message of an unknown type', (event as { type?: unknown }).type)
  }
}
