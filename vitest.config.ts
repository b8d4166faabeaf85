import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { testBindings } from './test-bindings'

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      // The AI binding is remote-only: tests run offline and stub it where they need it.
      remoteBindings: false,
      miniflare: {
        bindings: { ...testBindings, TEST_MIGRATIONS: await readD1Migrations('./migrations/people') },
      },
    }),
  ],
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/bench/**'],
    setupFiles: ['./tests/helpers/apply-migrations.ts'],
  },
}))
