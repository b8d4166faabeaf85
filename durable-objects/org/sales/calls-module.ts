/**
 * Calls: those Twilio reports for the business's number and those staff log by hand, each a
 * `call` activity on the client (calls/calls.ts), pushed once to the client's CRM as a note when
 * its connection syncs calls (calls/pushes.ts). Callable from the Worker (src/sales/remote.ts).
 */
import type { OrgHost } from '../host'
import type { Result } from '../result'
import { type CallFiling, fileReportedCall, type LoggedCall, logCall, type ReportedCall } from './calls/calls'
import { callPushes } from './calls/pushes'
import type { Activity, ActivitySubject } from './leads/activities'

export class Calls {
  constructor(private readonly host: OrgHost) {}

  /** Files a call from Twilio's status callback; only its first filing is pushed to the CRM. */
  async recordReportedCall(call: ReportedCall): Promise<CallFiling> {
    const filing = await this.host.run(() => fileReportedCall(this.host.db, call, this.host.clock.now()))
    if (filing.filed === 'activity' && filing.created) await push(this.host, filing.activity)
    return filing
  }

  /** Logs a call by hand on a lead or client (404 when this business has neither), pushed to the client's CRM. */
  async logCall(subject: ActivitySubject, input: LoggedCall): Promise<Result<Activity>> {
    const result = await this.host.write(() => logCall(this.host.db, subject, input, this.host.clock.now()))
    if (result.ok) await push(this.host, result.value)
    return result
  }
}

/** Queues a call's notes; a function, not a method, so the Worker cannot call it through `salesCall`. */
function push(host: OrgHost, activity: Activity): Promise<void> {
  return host.outbox.pushes(callPushes(host.db, activity))
}
