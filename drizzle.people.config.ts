import { defineConfig } from 'drizzle-kit'

/** The global D1 registry's schema; its migrations are applied by `wrangler d1 migrations apply`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/people/schema.ts',
  out: './migrations/people',
})
