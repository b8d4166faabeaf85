// `npm start`: local migrations, a demo business in an empty data folder, then `wrangler dev`.
import { copyFileSync, existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { applyMigrations, root, startWorker } from './lib/dev-server.mjs'
import { DEMO_LOGIN, seedDemo } from './lib/demo.mjs'

const started = Date.now()
const port = Number(process.env.PORT ?? 8787)
const dataDir = resolve(root, process.env.HOMEBASE_DATA_DIR ?? '.wrangler/state')

await import('./copy-assets.mjs')
if (!existsSync(join(root, '.dev.vars'))) {
  copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'))
  console.log('Created .dev.vars from .dev.vars.example')
}

const fresh = !existsSync(dataDir) || readdirSync(dataDir).length === 0
applyMigrations(dataDir)
const server = await startWorker({ port, dataDir })
if (fresh) await seedDemo(`http://127.0.0.1:${port}`)

const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(`
  HomeBase is running (ready in ${seconds} s)${fresh ? ', with a demo business' : ''}
    App:         ${server.url}/app
    Demo login:  ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}
    Outbox:      ${server.url}/dev/outbox
    Run cron:    ${server.url}/__scheduled?cron=*+*+*+*+*
    Data folder: ${dataDir}
`)

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await server.stop()
    process.exit(0)
  })
}
server.child.on('exit', (code) => process.exit(code ?? 0))
