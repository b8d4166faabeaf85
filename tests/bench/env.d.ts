declare global {
  namespace Cloudflare {
    interface Env {
      /** Set to `on` by vitest.bench.config.ts; the benchmark skips itself anywhere else. */
      BENCH?: string
      BENCH_CLIENTS?: string
      BENCH_JOBS?: string
      BENCH_MSG_ORGS?: string
      BENCH_MSG_PER_ORG?: string
      BENCH_IMPORT_ROWS?: string
      BENCH_CAMPAIGN_CLIENTS?: string
      BENCH_SCHEDULE_JOBS?: string
      BENCH_INVOICES?: string
    }
  }
}

declare global {
  var __vitest_mocker__: { moduleRunner: { import(specifier: string): Promise<unknown> } }
}

export {}
