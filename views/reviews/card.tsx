/** A printable card for a tech's QR code: the business, "How did we do?", the code, the tech's name and the short link. */
import type { QrCode } from '../../durable-objects/org/reviews/qr'
import { Shell } from '../layout'

// The card is the whole printed page; the screen-only links disappear on paper.
const CSS = `
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2430; background: #f6f7f9; }
.tools { max-width: 24rem; margin: 1rem auto; display: flex; gap: 1rem; justify-content: space-between; }
.qr-card { width: 24rem; max-width: calc(100% - 2rem); margin: 1rem auto; padding: 1.6rem; background: #fff; border: 1px solid #e2e6eb; border-radius: 14px; text-align: center; }
.qr-card h1 { font-size: 1.4rem; margin: 0; }
.qr-card h2 { font-size: 1.9rem; margin: .4rem 0 .8rem; }
.qr-card img { width: 15rem; height: 15rem; image-rendering: pixelated; }
.qr-card .tech { font-size: 1.1rem; margin: .6rem 0 .2rem; }
.qr-card .short { font-family: ui-monospace, Menlo, monospace; font-size: .95rem; word-break: break-all; }
@media print {
  @page { margin: 12mm; }
  body { background: #fff; }
  .tools { display: none; }
  .qr-card { border: 1px dashed #999; margin: 0 auto; break-inside: avoid; }
}
`

/** The card page; print it from the browser. */
export function QrCardPage({
  business,
  qr,
  techName,
  shortUrl,
}: {
  business: string
  qr: QrCode
  techName: string | null
  shortUrl: string
}) {
  return (
    <Shell title={`QR card · ${qr.label} · ${business}`} stylesheet={null} css={CSS} main={false}>
      <div class="tools">
        <a href="/app/reviews/techs">← Techs &amp; QR codes</a>
        <button type="button" onclick="window.print()">
          Print
        </button>
      </div>
      <article class="qr-card" data-testid="qr-card">
        <h1>{business}</h1>
        <h2>How did we do?</h2>
        <img src={`/app/reviews/qr/${qr.id}/image.svg`} alt={`QR code for ${shortUrl}`} />
        {techName ? (
          <p class="tech">
            Your tech today: <strong>{techName}</strong>
          </p>
        ) : null}
        <p class="short">{shortUrl}</p>
      </article>
    </Shell>
  )
}
