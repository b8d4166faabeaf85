// The benchmark suite (tests/bench/): one organization seeded to 100k clients inside workerd, and
// 10,000 reminders due at once across 100 organizations, from the cron tick to the outbox.
// Run through `npm run bench`; BENCH_CLIENTS, BENCH_JOBS, BENCH_MSG_ORGS and BENCH_MSG_PER_ORG change the sizes.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { testBindings } from './test-bindings'

// This file is type-checked with the Workers types only, which have no `process`.
const vars = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      // The AI binding is remote-only: tests run offline and stub it where they need it.
      remoteBindings: false,
      miniflare: {
        bindings: {
          ...testBindings,
          BENCH: 'on',
          BENCH_CLIENTS: vars.BENCH_CLIENTS ?? '100000',
          BENCH_JOBS: vars.BENCH_JOBS ?? '300000',
          BENCH_MSG_ORGS: vars.BENCH_MSG_ORGS ?? '100',
          BENCH_MSG_PER_ORG: vars.BENCH_MSG_PER_ORG ?? '100',
          BENCH_IMPORT_ROWS: vars.BENCH_IMPORT_ROWS ?? '50000',
          BENCH_INVOICES: vars.BENCH_INVOICES ?? '2000',
          TEST_MIGRATIONS: await readD1Migrations('./migrations/people'),
        },
      },
    }),
  ],
  test: {
    include: ['tests/bench/**/*.bench.test.ts'],
    setupFiles: ['./tests/helpers/apply-migrations.ts'],
    testTimeout: 10 * 60_000,
    hookTimeout: 15 * 60_000,
  },
}))
