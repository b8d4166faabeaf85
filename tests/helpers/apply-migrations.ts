import { applyD1Migrations, env } from 'cloudflare:test'

// Runs before each test file; applyD1Migrations skips migrations already applied.
await applyD1Migrations(env.PEOPLE, env.TEST_MIGRATIONS)

// wrangler.toml declares Workers AI for production; without remote bindings the test pool gets a
// stand-in that only throws. Tests run with no model unless one stubs it (helpers/assistant.ts).
delete (env as { AI?: unknown }).AI
