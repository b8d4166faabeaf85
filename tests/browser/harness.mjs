// A fresh local HomeBase and a headless Debian Chromium for browser tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { applyMigrations, freePort, startWorker } from '../../scripts/lib/dev-server.mjs'

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * The local defaults of `.dev.vars.example` (signing and encryption keys, APP_ENV), passed as
 * `--var` so a fresh clone without `.dev.vars` runs the same as a developer's machine.
 */
function localDefaults() {
  const lines = readFileSync(new URL('../../.dev.vars.example', import.meta.url), 'utf8').split('\n')
  return Object.fromEntries(lines.map((l) => /^([A-Z0-9_]+)=(.+)$/.exec(l.trim())).filter(Boolean).map((m) => [m[1], m[2]]))
}

/** Starts the Worker on a free port with its own data folder (and any extra `vars`), and a browser. */
export async function startHarness({ vars = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-browser-'))
  applyMigrations(dataDir)
  const { PUBLIC_BASE_URL: _, ...defaults } = localDefaults()
  const server = await startWorker({ port: await freePort(), dataDir, quiet: true, vars: { ...defaults, ...vars } })
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  return {
    url: server.url,
    browser,
    async stop() {
      await browser.close()
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
