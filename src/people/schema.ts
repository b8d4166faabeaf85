/**
 * Drizzle schema of the global D1 database `PEOPLE`, by subject; drizzle-kit reads this file
 * (drizzle.people.config.ts) and follows the re-exports.
 */
export * from './accounts-schema'
export * from './registry-schema'
export * from './routing-schema'
export * from './platform-schema'
