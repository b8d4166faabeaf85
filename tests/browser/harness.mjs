// A fresh local HomeBase and a headless Debian Chromium for browser tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { applyMigrations, freePort, localDefaults, startWorker } from '../../scripts/lib/dev-server.mjs'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Starts the Worker on a free port with its own data folder (and any extra `vars`), and a browser. */
export async function startHarness({ vars = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'homebase-browser-'))
  applyMigrations(dataDir)
  // .dev.vars.example's local defaults, so a fresh clone without .dev.vars runs like a developer's machine.
  const server = await startWorker({
    port: await freePort(),
    dataDir,
    quiet: true,
    vars: { ...localDefaults(), ...vars },
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
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
