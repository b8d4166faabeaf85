/** The Worker's entry: it only routes HTTP, the clock, queue batches and received email to named handlers. */
import { app } from './app'
import { runCronTick } from './cron'
import { handleRoutedEmail } from './email/handler'
import type { Env } from './env'
import { handleEventBatch, handleImportBatch } from './queues/events'
import type { EventMessage, ImportRowsMessage } from './queues/messages'
import { handleDeadSends, handleSendBatch, type SendMessage } from './queues/sends'

export { OrgObject } from '../durable-objects/org/org-object'

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runCronTick(env, new Date(controller.scheduledTime))
  },
  async email(message, env) {
    await handleRoutedEmail(message, env)
  },
  async queue(batch, env) {
    switch (batch.queue) {
      case 'homebase-events':
        return handleEventBatch(batch as MessageBatch<EventMessage>, env)
      case 'homebase-imports':
        return handleImportBatch(batch as MessageBatch<ImportRowsMessage>, env)
      case 'homebase-sends':
        return handleSendBatch(batch as MessageBatch<SendMessage>, env)
      case 'homebase-sends-dlq':
        return handleDeadSends(batch as MessageBatch<SendMessage>, env)
      default:
        console.error('queue: no consumer for', batch.queue)
        batch.retryAll()
    }
  },
} satisfies ExportedHandler<Env, EventMessage | SendMessage>
