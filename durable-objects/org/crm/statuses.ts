/** A client's status with the organization: one list for the storage schema, the API's validation and imports. */
export const CLIENT_STATUSES = ['lead', 'active', 'inactive'] as const

export type ClientStatus = (typeof CLIENT_STATUSES)[number]
