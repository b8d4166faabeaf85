// The load benchmark's section of bench/results.md: one row per page or endpoint, the targets, and where the CPU went.
import { percentiles, STAFF_P95_TARGET_MS } from './load-bench.mjs'

const ms = (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1))
const count = (n) => Math.round(n).toLocaleString('en-US')
const errorsOf = (row) => {
  const kinds = Object.entries(row.errors)
  if (kinds.length === 0) return '0'
  return `**${count(kinds.reduce((n, [, k]) => n + k, 0))}** (${kinds.map(([kind, k]) => `${kind} ×${k}`).join(', ')})`
}
const alone = (s) => (s ? `${count(s.n)}, ${ms(s.p50)} / ${ms(s.p95)}` : '–')
const order = (group) => (group.startsWith('staff:') ? 0 : group.startsWith('webhook:') ? 1 : 2)

/** The markdown section for a run of `loadAtScale`. */
export function loadSection(r) {
  const o = r.options
  const rows = [...r.groups].sort((a, b) => order(a.group) - order(b.group) || a.group.localeCompare(b.group))
  const staff = percentiles(r.staffTimes)
  const errors = rows.reduce((n, row) => n + Object.values(row.errors).reduce((a, b) => a + b, 0), 0)
  const webhooks = rows.filter((row) => row.group.startsWith('webhook:')).reduce((n, row) => n + row.n, 0)
  const slow = rows
    .filter((row) => row.group.startsWith('staff:') && row.p95 > STAFF_P95_TARGET_MS)
    .map((row) => row.group.slice(7))
  const pct = (seconds) => `${((seconds / r.wallSeconds) * 100).toFixed(0)} %`
  const p = r.campaign.progress ?? {}
  const met = errors === 0 && staff.p95 <= STAFF_P95_TARGET_MS
  return [
    '## Load through `wrangler dev`',
    '',
    `${count(o.businesses)} businesses (${count(r.clients)} clients imported by CSV, ${count(r.jobs)} visits with crews, leads, invoices, ` +
      `a Housecall Pro and a Jobber connection each; seeded in ${r.seedSeconds.toFixed(0)} s), then for ${r.wallSeconds.toFixed(0)} s at once: ` +
      `${r.sessions} staff signed in through the login form (sign-in ${ms(r.signIn.p50)} ms p50, before the run) browsing and booking with ` +
      `${o.thinkTime ? '0.5–2 s of thought between clicks (seeded)' : 'no think time'}; ${o.webhooksPerSecond} signed webhooks a second ` +
      `(Housecall Pro, Jobber, Twilio inbound SMS and status callbacks; ${Math.round(o.replayShare * 100)} % sent again byte for byte), ` +
      `open loop: ${count(r.stream.sent - r.stream.skipped)} sent, ${count(webhooks)} answered${r.stream.skipped ? `, ${count(r.stream.skipped)} not sent (over ${count(2000)} waiting)` : ''}; ` +
      `and an SMS campaign to ${count(r.campaign.willReceive ?? 0)} clients, ${count(o.campaignBatch)} a run, the minute cron fired every ${o.cronSeconds} s ` +
      `(compressed, so the whole campaign falls inside the run). The Worker ran a copy of commit ${r.commit}, so edits in the checkout could not reload it, ` +
      (o.inspector
        ? 'started by the `wrangler dev` command, with its DevTools inspector attached. '
        : "started by wrangler's dev API (`unstable_startWorker`, as `wrangler dev` starts it) with the DevTools inspector off (`BENCH_LOAD_INSPECTOR=on` attaches it, as the command does). ") +
      'Milliseconds from the request to the last byte of the answer, measured in Node.',
    '',
    `The last column is the same page with the staff alone, in the ${r.baseline.wallSeconds.toFixed(0)} s before (no webhooks, no campaign; ${r.baseline.errors} errors then).`,
    '',
    '| page or endpoint | n | p50 | p95 | p99 | max | errors | staff alone: n, p50 / p95 |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
    ...rows.map(
      (row) =>
        `| ${row.group} | ${count(row.n)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${ms(row.max)} | ${errorsOf(row)} | ${alone(r.aloneGroups[row.group])} |`,
    ),
    `| **all staff pages** | ${count(staff.n)} | ${ms(staff.p50)} | **${ms(staff.p95)}** | ${ms(staff.p99)} | ${ms(staff.max)} | | ${alone(r.baseline.staff)} |`,
    '',
    '| measure | value |',
    '|---|---:|',
    `| target: no errors, staff pages p95 ≤ ${STAFF_P95_TARGET_MS} ms | ${met ? 'met' : `**missed**: ${errors ? `${count(errors)} errors; ` : ''}staff p95 ${ms(staff.p95)} ms${slow.length ? ` (over: ${slow.join(', ')})` : ''}`} |`,
    `| staff pages p50 / p95: the business sending the campaign / the others | ${ms(r.campaignBusiness.p50)} / ${ms(r.campaignBusiness.p95)} ms (${count(r.campaignBusiness.n)}) · ${ms(r.otherBusinesses.p50)} / ${ms(r.otherBusinesses.p95)} ms (${count(r.otherBusinesses.n)}) |`,
    `| campaign at the end of the run | ${r.campaign.status}: ${count(p.sent ?? 0)} sent, ${count(p.delivered ?? 0)} delivered, ${count(p.queued ?? 0)} queued, ${count(p.pending ?? 0)} pending, ${count(p.failed ?? 0)} failed, ${count(p.skipped ?? 0)} skipped |`,
    `| Twilio message ids known to the status callbacks | ${count(r.statusSids)} |`,
    `| CPU, the Worker, the staff alone before | ${r.baseline.cpu.worker.toFixed(1)} s = ${((r.baseline.cpu.worker / r.baseline.wallSeconds) * 100).toFixed(0)} % of one core (everything else on the machine ${((r.baseline.cpu.other / r.baseline.wallSeconds) * 100).toFixed(0)} %) |`,
    `| machine load average (1 min), start / end of the run | ${r.load.before.toFixed(1)} / ${r.load.after.toFixed(1)} |`,
    `| CPU, the Worker (wrangler + workerd) | ${r.cpu.worker.toFixed(1)} s = ${pct(r.cpu.worker)} of one core |`,
    `| … the runtime running HomeBase / wrangler's dev proxy / wrangler's Node | ${pct(r.cpu.parts.runtime)} / ${pct(r.cpu.parts.proxy)} / ${pct(r.cpu.parts.wrangler)} of one core |`,
    `| … the runtime's busiest thread: on a CPU / ready but waiting for one (the rest: idle or waiting on I/O) | ${pct(r.cpu.busiestThread.run)} / ${pct(r.cpu.busiestThread.wait)} of the run |`,
    `| CPU, this load generator (Node) | ${r.cpu.generator.toFixed(1)} s = ${pct(r.cpu.generator)} of one core |`,
    `| CPU, everything else on the machine | ${r.cpu.other.toFixed(1)} s = ${pct(r.cpu.other)} of one core |`,
    `| CPU capacity of the run | ${r.cores} cores = ${(r.cores * 100).toFixed(0)} % of one core |`,
    '',
    `The run by ${o.timelineSeconds} s windows (by when a request started; the cron fired at 0, ${o.cronSeconds}, ${o.cronSeconds * 2} s…):`,
    '',
    '| seconds | staff pages | staff p50 / p95 | webhooks answered | webhook p50 / p95 |',
    '|---|---:|---:|---:|---:|',
    ...r.timeline.map(
      (w) =>
        `| ${w.from}–${w.from + o.timelineSeconds} | ${count(w.staff.n)} | ${ms(w.staff.p50)} / ${ms(w.staff.p95)} | ${count(w.webhook.n)} | ${ms(w.webhook.p50)} / ${ms(w.webhook.p95)} |`,
    ),
    ...(Object.keys(r.errorSamples).length ? ['', 'The first answer of each kind of error:'] : []),
    ...Object.entries(r.errorSamples).map(
      ([kind, sample]) => `- ${kind}: ${sample.slice(0, 240).replaceAll('|', '/')}`,
    ),
  ].join('\n')
}
