// Where the CPU went during a load run, from /proc: the Worker's processes (wrangler's Node, its dev proxy,
// the runtime that runs HomeBase) and the runtime's busiest thread, this generator, and the rest of the machine.
import { readdirSync, readFileSync } from 'node:fs'

const CLOCK_TICKS = 100

/** utime + stime and parent of a process or thread, from its stat line; null once it has ended. */
function stat(path) {
  try {
    const text = readFileSync(path, 'utf8')
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }
  } catch {
    return null
  }
}

/**
 * What a process of wrangler's tree is: the runtime (workerd on a port of its own), wrangler's
 * dev proxy (workerd on the port we call), esbuild, or wrangler's Node.
 */
function kindOf(pid) {
  let cmd = ''
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return 'wrangler'
  }
  // The runtime listens on a port the OS picks (`entry=…:0`); the proxy on the one we call.
  if (cmd.includes('workerd')) return /--inspector-addr|entry=[^\0]*:0(\0|$)/.test(cmd) ? 'runtime' : 'proxy'
  return cmd.includes('esbuild') ? 'esbuild' : 'wrangler'
}

/** Every process under `rootPid` (itself included): pid → {kind, ticks}. */
function tree(rootPid) {
  const all = new Map()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const s = stat(`/proc/${name}/stat`)
    if (s) all.set(Number(name), s)
  }
  const inTree = (pid) => {
    for (let p = pid; p > 1; p = all.get(p)?.ppid ?? 0) if (p === rootPid) return true
    return false
  }
  const found = new Map()
  for (const [pid, s] of all) if (inTree(pid)) found.set(pid, { kind: kindOf(pid), ticks: s.ticks })
  return found
}

/** Each thread of a process: tid → seconds on a CPU and seconds runnable but waiting for one (schedstat). */
function threads(pid) {
  const found = new Map()
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number)
        found.set(tid, { run: run / 1e9, wait: wait / 1e9 })
      } catch {
        // the thread ended
      }
    }
  } catch {
    // ended
  }
  return found
}

/** The machine's busy and whole CPU seconds so far (all cores). */
function machine() {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const n = f.slice(0, 8).map(Number)
  const total = n.reduce((a, b) => a + b, 0)
  return { busy: (total - n[3] - n[4]) / CLOCK_TICKS, total: total / CLOCK_TICKS }
}

/** Starts measuring; the function it returns gives CPU seconds used since, by whom. */
export function cpuMeter(workerPid) {
  const start = { tree: tree(workerPid), self: process.cpuUsage(), machine: machine() }
  const runtimes = [...start.tree].filter(([, p]) => p.kind === 'runtime').map(([pid]) => pid)
  const startThreads = new Map(runtimes.map((pid) => [pid, threads(pid)]))
  return () => {
    const self = process.cpuUsage(start.self)
    const now = machine()
    const parts = { runtime: 0, proxy: 0, wrangler: 0, esbuild: 0 }
    for (const [pid, p] of tree(workerPid)) parts[p.kind] += (p.ticks - (start.tree.get(pid)?.ticks ?? 0)) / CLOCK_TICKS
    // The runtime's busiest thread: how long it ran, and how long it was ready to run but waited for a CPU.
    let busiestThread = { run: 0, wait: 0 }
    for (const [pid, before] of startThreads)
      for (const [tid, t] of threads(pid)) {
        const run = t.run - (before.get(tid)?.run ?? 0)
        if (run > busiestThread.run) busiestThread = { run, wait: t.wait - (before.get(tid)?.wait ?? 0) }
      }
    const worker = Object.values(parts).reduce((a, b) => a + b, 0)
    const generator = (self.user + self.system) / 1e6
    const busy = now.busy - start.machine.busy
    return { worker, parts, busiestThread, generator, other: Math.max(0, busy - worker - generator) }
  }
}
