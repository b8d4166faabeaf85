/**
 * The Worker's typed handle on one domain of the ORG object reached through a single RPC entry
 * (durable-objects/org/public-call.ts): `remoteOf<Reviews>(call).listTechs()` is one call,
 * `call('listTechs', [])`, typed from the module's own methods.
 */

type Method = (...args: never[]) => unknown

/** A module's public methods as the Worker sees them: same arguments, the answer awaited. */
export type Remote<T> = {
  [K in keyof T as T[K] extends Method ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never
}

/** A proxy whose every method is `call(method, args)`. */
export function remoteOf<T>(call: (method: string, args: unknown[]) => Promise<unknown>): Remote<T> {
  return new Proxy(
    {},
    {
      get: (_, method) => (typeof method === 'string' ? (...args: unknown[]) => call(method, args) : undefined),
    },
  ) as Remote<T>
}
