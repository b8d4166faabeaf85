/** The QR image, drawn on the server as SVG with uqr (no Node APIs, no canvas). */
import { renderSVG } from 'uqr'

/** An SVG QR code for `url`, with error correction M (survives a scuffed card) and a quiet border. */
export function qrSvg(url: string): string {
  return renderSVG(url, { ecc: 'M', border: 2, pixelSize: 8 })
}
