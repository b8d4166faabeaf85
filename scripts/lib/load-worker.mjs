// The load benchmark's Worker: `wrangler dev` over a copy of the last commit, so edits made in the
// checkout during a run neither reload the Worker mid-run (wrangler watches its sources) nor get measured.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { cpSync, createWriteStream, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { offlineEnv, root } from './dev-server.mjs'

const wrangler = join(root, 'node_modules/.bin/wrangler')

/** The committed tree at HEAD in a temporary folder, with the installed packages and built assets beside it. */
export function snapshot() {
  const dir = mkdtempSync(join(tmpdir(), 'homebase-load-src-'))
  execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${dir}'`], { cwd: root })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  if (existsSync(join(root, 'public/vendor')))
    cpSync(join(root, 'public/vendor'), join(dir, 'public/vendor'), { recursive: true })
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()
  return { dir, commit, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The snapshot's D1 migrations applied to `dataDir` (tried three times, as dev-server.mjs does). */
export function migrate(dir, dataDir) {
  let result
  for (let attempt = 1; attempt <= 3; attempt++) {
    result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'people', '--local', '--persist-to', dataDir], {
      cwd: dir,
      env: offlineEnv({ CI: 'true' }),
      encoding: 'utf8',
    })
    if (result.status === 0) return
  }
  throw new Error(`wrangler d1 migrations apply failed:\n${result.stdout}\n${result.stderr}`)
}

/**
 * `wrangler dev` in the snapshot, its output in `logFile`; resolves once /healthz answers. By default
 * through wrangler's own API with the DevTools inspector off (dev-no-inspector.mjs says why);
 * `inspector: true` runs the CLI as dev-server.mjs's startWorker does, inspector attached.
 */
export async function startSnapshotWorker({
  dir,
  port,
  dataDir,
  vars,
  logFile,
  quiet = true,
  inspector = false,
  timeoutMs = 90_000,
}) {
  const allVars = { PUBLIC_BASE_URL: `http://localhost:${port}`, ...vars }
  const [command, args] = inspector ? [wrangler, cliArgs(port, dataDir, allVars)] : noInspector(port, dataDir, allVars)
  // wrangler's own output (restarts, uncaught errors) goes to a log beside the results, for reading after a run.
  const log = createWriteStream(logFile)
  const child = spawn(command, args, { cwd: dir, env: offlineEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stdout.pipe(quiet ? log : process.stdout)
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
    ;(quiet ? log : process.stderr).write(d)
  })
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5000).unref()
    })
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}\n${stderr}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200)
        return { url: `http://localhost:${port}`, child, stop }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`wrangler dev did not answer /healthz within ${timeoutMs} ms\n${stderr}`)
}

function cliArgs(port, dataDir, vars) {
  const args = ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--test-scheduled']
  args.push('--persist-to', dataDir, '--show-interactive-dev-session=false')
  // No request log: at info level the local runtime posts a line per request to wrangler's Node process.
  args.push('--log-level', 'warn')
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`)
  return args
}

function noInspector(port, dataDir, vars) {
  return [
    process.execPath,
    [join(root, 'scripts/lib/dev-no-inspector.mjs'), String(port), dataDir, JSON.stringify(vars)],
  ]
}
