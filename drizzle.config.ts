import { defineConfig } from 'drizzle-kit'

/** The ORG Durable Object's schema; `npm run db:generate` writes its migrations. */
export default defineConfig({
  dialect: 'sqlite',
  driver: 'durable-sqlite',
  schema: './durable-objects/org/schema.ts',
  out: './migrations/org',
})
