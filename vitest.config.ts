import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          APP_ENV: 'test',
          TEST_MIGRATIONS: await readD1Migrations('./migrations/people'),
          TWILIO_AUTH_TOKEN: 'test_auth_token_0123456789abcdef',
          TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
          TWILIO_FROM_NUMBER: '+13035550100',
          PORTAL_SIGNING_KEY: 'test-portal-signing-key',
          PUBLIC_BASE_URL: 'https://homebase.test',
          EMAIL_FROM: 'Reminders <reminders@homebase.test>',
        },
      },
    }),
  ],
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'tests/bench/**'],
    setupFiles: ['./tests/helpers/apply-migrations.ts'],
  },
}))
