/** The Worker's entry: it only routes HTTP, the clock and queue batches to named handlers. */
import { app } from './app'
import { runCronTick } from './cron'
import type { Env } from './env'
import { handleEventBatch } from './queues/events'
import type { EventMessage } from './queues/messages'

export { OrgObject } from '../durable-objects/org/org-object'

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runCronTick(env, new Date(controller.scheduledTime))
  },
  async queue(batch, env) {
    if (batch.queue.startsWith('homebase-events')) return handleEventBatch(batch as MessageBatch<EventMessage>, env)
    // The sends queue gets its consumer with the messaging engine; nothing produces to it yet.
    batch.retryAll()
  },
} satisfies ExportedHandler<Env, EventMessage>
