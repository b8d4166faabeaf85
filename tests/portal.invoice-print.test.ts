import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { api, createClient, type TestOrg } from './helpers/factories'
import { businessWithClient, Homeowner, portalPath } from './helpers/portal'

/** An open invoice of two lines for the client, through the API. */
async function lineInvoice(org: TestOrg, orgClientId: string) {
  const res = await api(org, 'POST', '/api/v1/invoices', {
    org_client_id: orgClientId,
    due_date: '2031-04-01',
    line_items: [
      { description: 'Window washing', quantity: 1, unit_price_cents: 18_000 },
      { description: 'Screen repair', quantity: 2, unit_price_cents: 1_250, taxable: false },
    ],
  })
  expect(res.status).toBe(201)
  return (await res.json<{ invoice: { id: string; number: number } }>()).invoice
}

const asset = async (path: string) => (await env.ASSETS.fetch(`https://homebase.test${path}`)).text()

/** portal.css from its print block on. */
const printRules = (css: string) => css.slice(css.indexOf('@media print'))

describe('the portal invoice on paper', () => {
  it('offers "Print or save as PDF" from a file script, and prints the invoice without the portal’s bar or buttons', async () => {
    const { org, client } = await businessWithClient('Clear View Windows')
    const invoice = await lineInvoice(org, client.org_client_id)
    const page = await new Homeowner().get(
      await portalPath(org, client.org_client_id, { p: 'pay', r: invoice.id, days: 30 }),
    )
    expect(page.status).toBe(200)
    const html = await page.text()
    // The button waits for its script (no inline script or handler), which a page without JavaScript never runs.
    const button = html.match(/<button [^>]*data-testid="portal-print"[^>]*>([^<]*)<\/button>/)
    expect(button?.[1]).toBe('Print or save as PDF')
    expect(button?.[0]).toMatch(/ type="button"/)
    expect(button?.[0]).toMatch(/ data-print="true"/)
    expect(button?.[0]).toMatch(/ hidden=""/)
    expect(html).toContain('<script src="/portal-print.js" defer="">')
    expect(html).not.toMatch(/onclick=|<script>/)
    // What the paper carries: the business and its phone (shown only on paper), the invoice, its lines and totals.
    expect(html).toContain('<p class="print-only">(415) 555-0199</p>')
    for (const text of [`Invoice #${invoice.number}`, 'Window washing', 'Screen repair', 'Subtotal', '$205.00'])
      expect(html).toContain(text)

    const script = await asset('/portal-print.js')
    expect(script).toContain("querySelectorAll('[data-print]')")
    expect(script).toContain('window.print()')
    const css = await asset('/portal.css')
    expect(css).toContain('@media print')
    const print = printRules(css)
    for (const hidden of ['.bar', '.no-print', 'form', 'button'])
      expect(print.slice(0, print.indexOf('display: none'))).toContain(hidden)
    expect(print).toMatch(/\.print-only \{\s+display: block;/)
    expect(css.slice(0, css.indexOf('@media print'))).toMatch(/\.print-only \{\s+display: none;/)
  })

  it('is not shown to a link for another business’s or another client’s invoice, a forged link or an expired one', async () => {
    const mine = await businessWithClient('Clear View Windows')
    const other = await businessWithClient('Other Windows')
    const sibling = await createClient(mine.org, { first_name: 'Sam', phone: '+14155550177' })
    const theirs = await lineInvoice(other.org, other.client.org_client_id)
    const invoice = await lineInvoice(mine.org, mine.client.org_client_id)
    const home = new Homeowner()

    // My link, another business's invoice id: 404, nothing of theirs.
    const foreign = await home.get(await portalPath(mine.org, mine.client.org_client_id, { p: 'pay', r: theirs.id }))
    expect(foreign.status).toBe(404)
    const foreignHtml = await foreign.text()
    expect(foreignHtml).toContain('This link does not work')
    expect(foreignHtml).not.toContain('data-print')
    expect(foreignHtml).not.toContain('Window washing')

    // Another client of the same business, with my invoice's id: 404.
    const sibling404 = await home.get(await portalPath(mine.org, sibling.org_client_id, { p: 'pay', r: invoice.id }))
    expect(sibling404.status).toBe(404)
    expect(await sibling404.text()).not.toContain('data-print')
    // The other business's link for their client, with my invoice's id: 404 as well.
    const crossed = await home.get(await portalPath(other.org, other.client.org_client_id, { p: 'pay', r: invoice.id }))
    expect(crossed.status).toBe(404)

    // A real link with its signature changed: 404.
    const real = await portalPath(mine.org, mine.client.org_client_id, { p: 'pay', r: invoice.id })
    const forged = `${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`
    const forgedPage = await home.get(forged)
    expect(forgedPage.status).toBe(404)
    expect(await forgedPage.text()).not.toContain('data-print')

    // An expired link: the expired page (410), never the invoice or its printout.
    const expired = await home.get(
      await portalPath(mine.org, mine.client.org_client_id, {
        p: 'pay',
        r: invoice.id,
        days: 1,
        now: Date.now() - 3 * 86_400_000,
      }),
    )
    expect(expired.status).toBe(410)
    const expiredHtml = await expired.text()
    expect(expiredHtml).toContain('This link has expired')
    expect(expiredHtml).not.toContain('data-print')
    expect(expiredHtml).not.toContain('Window washing')

    // The real link still opens it.
    expect(await (await home.get(real)).text()).toContain('Print or save as PDF')
  })
})
