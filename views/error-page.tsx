/** The page for a status HomeBase could not answer otherwise: 404, 403, 500… (JSON paths get the error envelope instead). */
import { Shell } from './layout'

export function ErrorPage({ status, message }: { status: number; message: string }) {
  return (
    <Shell title={`${status} · HomeBase`}>
      <section class="card narrow">
        <h1>{status === 404 ? 'Not found' : 'Something is not right'}</h1>
        <p>{message}</p>
        <p>
          <a href="/app">Back to HomeBase</a>
        </p>
      </section>
    </Shell>
  )
}
