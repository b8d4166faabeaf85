/** vitest-pool-workers' own helpers, read by fetch-handler.ts to measure what the harness adds. */
declare module 'cloudflare:test-internal' {
  export function runInRunnerObject<T>(callback: () => T | Promise<T>): Promise<T>
  export function getResolvedMainPath(forBindingType: string): string
}
