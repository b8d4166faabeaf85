/**
 * One RPC entry for a whole domain: the object's façade takes `(method, args)` and calls that public
 * method of the domain's module, so the façade does not grow a line per method. The Worker's side
 * is `remoteOf` (src/remote.ts), typed from the module's own methods.
 */

/**
 * Calls one public method of `target`; anything else (a field, the constructor, a `_` name, or one
 * of `refused`, which the façade does itself) is refused.
 */
export function callPublic(
  target: object,
  what: string,
  method: string,
  args: unknown[],
  refused: readonly string[] = [],
): unknown {
  const fn =
    method !== 'constructor' && !method.startsWith('_') && !refused.includes(method)
      ? (target as Record<string, unknown>)[method]
      : undefined
  if (typeof fn !== 'function' || !Object.hasOwn(Object.getPrototypeOf(target), method))
    throw new Error(`${what}: no method ${method}`)
  return fn.apply(target, args)
}
