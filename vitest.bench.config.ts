// The benchmark suite (tests/bench/): one organization seeded to 100k clients inside workerd.
// Run through `npm run bench`; BENCH_CLIENTS and BENCH_JOBS change the size.
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

// This file is type-checked with the Workers types only, which have no `process`.
const vars = (globalThis as unknown as { process: { env: Record<string, string | undefined> } }).process.env

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          APP_ENV: 'test',
          BENCH: 'on',
          BENCH_CLIENTS: vars.BENCH_CLIENTS ?? '100000',
          BENCH_JOBS: vars.BENCH_JOBS ?? '300000',
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
