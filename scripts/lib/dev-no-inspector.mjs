// `wrangler dev` as its own API starts it (unstable_startWorker), with the DevTools inspector off: the load
// benchmark's Worker. The CLI always attaches wrangler's inspector proxy to the runtime, which then reports
// every subrequest (each D1 query, queue send and object call) with its body to wrangler's Node process;
// a deployed Worker has no DevTools attached. Run in the Worker's folder:
//   node dev-no-inspector.mjs <port> <persist dir> '<vars as JSON>'
import { unstable_startWorker } from 'wrangler'

const [port, persist, vars] = process.argv.slice(2)
const worker = await unstable_startWorker({
  config: 'wrangler.toml',
  bindings: Object.fromEntries(
    Object.entries(JSON.parse(vars)).map(([name, value]) => [name, { type: 'plain_text', value }]),
  ),
  dev: {
    remote: false,
    inspector: false,
    persist,
    testScheduled: true,
    watch: false,
    logLevel: 'warn',
    server: { hostname: '127.0.0.1', port: Number(port) },
  },
})
await worker.ready
console.log(`ready on ${(await worker.url).href}`)
const stop = async () => {
  await worker.dispose()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
