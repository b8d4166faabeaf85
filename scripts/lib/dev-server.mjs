// Runs the Worker locally with wrangler, offline: migrations first, then `wrangler dev`.
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const wrangler = join(root, 'node_modules/.bin/wrangler')

/** Environment that keeps wrangler and miniflare off the network. */
export const offlineEnv = (extra = {}) => ({
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  ...extra,
})

/**
 * Applies the D1 migrations of the people registry to local state in `dataDir`. wrangler now and
 * then stops on an internal assertion ("false == true") when several local runs start at once;
 * applying is idempotent (applied migrations are recorded), so a failed run is tried twice more.
 */
export function applyMigrations(dataDir, attempts = 3) {
  let result
  for (let attempt = 1; attempt <= attempts; attempt++) {
    result = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'people', '--local', '--persist-to', dataDir], {
      cwd: root,
      env: offlineEnv({ CI: 'true' }),
      encoding: 'utf8',
    })
    if (result.status === 0) return
  }
  throw new Error(`wrangler d1 migrations apply failed ${attempts} times:\n${result.stdout}\n${result.stderr}`)
}

/**
 * The local defaults of `.dev.vars.example` (signing and encryption keys, APP_ENV) without
 * PUBLIC_BASE_URL, for passing as `vars` so a fresh clone without `.dev.vars` runs like a
 * developer's machine (browser tests, benchmarks).
 */
export function localDefaults() {
  const lines = readFileSync(join(root, '.dev.vars.example'), 'utf8').split('\n')
  const vars = Object.fromEntries(
    lines
      .map((l) => /^([A-Z0-9_]+)=(.+)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  )
  delete vars.PUBLIC_BASE_URL
  return vars
}

/** Starts `wrangler dev` (with extra `vars`, e.g. stub endpoints); resolves once GET /healthz answers 200. */
export async function startWorker({ port, dataDir, quiet = false, timeoutMs = 60_000, vars = {} }) {
  // Links in messages (portal, status callbacks) point at this server, whatever the port.
  const args = [
    'dev',
    // Offline: remote-only bindings (Workers AI) are left out and the built-in assistant answers.
    '--local',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--test-scheduled',
    '--persist-to',
    dataDir,
    '--show-interactive-dev-session=false',
    '--var',
    `PUBLIC_BASE_URL:http://localhost:${port}`,
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]),
  ]
  const child = spawn(wrangler, args, {
    cwd: root,
    env: offlineEnv(),
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', quiet ? 'pipe' : 'inherit'],
  })
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  const url = `http://localhost:${port}`
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}\n${stderr}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (res.status === 200) return { url, child, stop: () => stopChild(child) }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  stopChild(child)
  throw new Error(`wrangler dev did not answer /healthz within ${timeoutMs} ms\n${stderr}`)
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  })
}

/** A free TCP port on loopback. */
export async function freePort() {
  const { createServer } = await import('node:net')
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}
