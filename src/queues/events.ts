/** The `events` and `imports` queue consumers: due work, CRM webhooks and pushes to CRMs; CSV import batches. */
import type { Env } from '../env'
import { processCrmWebhook } from '../integrations/inbound/process'
import { importRun, runImportBatch } from '../imports/run'
import { pushToCrm } from '../integrations/push'
import { pushCustomer } from '../integrations/push-customers'
import { pushBooking } from '../integrations/booking'
import { RetryLater } from '../integrations/retry'
import { orgStub } from '../organizations'
import { computeOrgMetrics } from '../platform/metrics-job'
import { syncPlanLimitsOf } from '../platform/plan-settings'
import type { EventMessage, ImportRowsMessage } from './messages'

/**
 * Handles one batch of organization work (run_due, schedule checks, CRM webhooks and pushes):
 * concurrently, since each message is another organization's, each acknowledged alone. An
 * `import_rows` message still in this queue from before imports had their own runs last.
 */
export async function handleEventBatch(batch: MessageBatch<EventMessage>, env: Env): Promise<void> {
  const imports = batch.messages.filter((m) => m.body.type === 'import_rows')
  await Promise.all(batch.messages.filter((m) => m.body.type !== 'import_rows').map((message) => settle(message, env)))
  for (const message of imports) await settle(message, env)
}

/**
 * The `imports` queue: CSV rows. A queue batch's messages of one import run together, in seq order
 * (imports/run.ts: one registry read and write, one ORG call); runs go one after another, since each
 * is a bulk write to the one D1 registry. If a run fails, its messages are retried one by one, so a
 * bad batch fails alone. A queue of their own keeps a 50,000-row import from holding up due work
 * (and a minute's due work from holding up an import).
 */
export async function handleImportBatch(batch: MessageBatch<ImportRowsMessage>, env: Env): Promise<void> {
  for (const run of importRuns(batch.messages)) {
    if (run.length === 1) {
      await settle(run[0]!, env)
      continue
    }
    try {
      await importRun(
        env,
        run.map((m) => m.body),
      )
      for (const message of run) message.ack()
    } catch (error) {
      console.error('imports: a run failed; its batches go one by one', run[0]!.body.import_id, error)
      for (const message of run) await settle(message, env)
    }
  }
}

/** A batch's messages by import, each import's in seq order. */
function importRuns(messages: readonly Message<ImportRowsMessage>[]): Message<ImportRowsMessage>[][] {
  const runs = new Map<string, Message<ImportRowsMessage>[]>()
  for (const message of messages) {
    const key = `${message.body.organization_id}/${message.body.import_id}`
    runs.set(key, [...(runs.get(key) ?? []), message])
  }
  return [...runs.values()].map((run) => run.sort((a, b) => a.body.seq - b.body.seq))
}

async function settle(message: Message<EventMessage | ImportRowsMessage>, env: Env): Promise<void> {
  try {
    await handleEvent(message.body, env, message.attempts)
    message.ack()
  } catch (error) {
    console.error('events: message failed, will retry', message.id, error)
    message.retry({
      delaySeconds: error instanceof RetryLater ? error.delaySeconds : Math.min(300, 2 ** message.attempts * 5),
    })
  }
}

/** Applies one event; `attempts` counts this delivery (1 the first time). */
export async function handleEvent(event: EventMessage, env: Env, attempts = 1): Promise<void> {
  switch (event.type) {
    case 'import_rows':
      return runImportBatch(env, event, attempts)
    case 'run_due':
      await orgStub(env, event.organization_id).runDueWorkForTick(event.at)
      return
    case 'check_schedule':
      return orgStub(env, event.organization_id).checkSchedule(event.organization_id)
    case 'crm_push':
      return pushToCrm(env, event, attempts)
    case 'crm_customer_push':
      return pushCustomer(env, event, attempts)
    case 'crm_booking':
      return pushBooking(env, event, attempts)
    case 'crm_webhook':
      return processCrmWebhook(env, event, attempts)
    case 'metrics':
      return computeOrgMetrics(env, event)
    case 'plan_limits':
      return syncPlanLimitsOf(env, event.organization_ids)
    default:
      // A message of a kind no longer sent (the registry's old contact fan-out) is dropped: cards are each business's own.
      console.warn('events: dropped a message of an unknown type', (event as { type?: unknown }).type)
  }
}
