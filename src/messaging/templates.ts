/** Message templates: `{{name}}` placeholders filled from the message's variables. */

export type TemplateKey = 'job_upcoming' | 'invoice_due' | 'estimate_sent'
export type Channel = 'sms' | 'email'
export type Template = { subject: string; body: string }

/** The templates a new organization starts with; each can be replaced in settings. */
export const DEFAULT_TEMPLATES: Record<TemplateKey, Record<Channel, Template>> = {
  job_upcoming: {
    sms: {
      subject: '',
      body: 'Hi {{first_name}}, this is {{business_name}}: a reminder of your appointment {{job_time}}. Details: {{portal_link}} Reply STOP to opt out.',
    },
    email: {
      subject: 'Your appointment with {{business_name}} {{job_time}}',
      body: 'Hi {{first_name}},\n\nThis is a reminder of your appointment with {{business_name}} {{job_time}}.\n\nSee the details or ask to reschedule: {{portal_link}}\n\nThank you!\n{{business_name}}',
    },
  },
  invoice_due: {
    sms: {
      subject: '',
      body: 'Hi {{first_name}}, your invoice from {{business_name}} for {{amount}} is due {{due_date}}. View and pay: {{portal_link}} Reply STOP to opt out.',
    },
    email: {
      subject: 'Invoice from {{business_name}}: {{amount}} due {{due_date}}',
      body: 'Hi {{first_name}},\n\nYour invoice from {{business_name}} for {{amount}} is due {{due_date}}.\n\nView and pay it here: {{portal_link}}\n\nThank you!\n{{business_name}}',
    },
  },
  estimate_sent: {
    sms: {
      subject: '',
      body: 'Hi {{first_name}}, {{business_name}} sent you estimate #{{estimate_number}} for {{amount}}. See it and approve or decline: {{portal_link}} Reply STOP to opt out.',
    },
    email: {
      subject: 'Estimate #{{estimate_number}} from {{business_name}}: {{amount}}',
      body: 'Hi {{first_name}},\n\nHere is estimate #{{estimate_number}} from {{business_name}} for {{amount}}, valid until {{valid_until}}.\n\nSee what it includes, and approve or decline it here: {{portal_link}}\n\nThank you!\n{{business_name}}',
    },
  },
}

export const TEMPLATE_VARIABLES = [
  'first_name',
  'business_name',
  'job_time',
  'portal_link',
  'amount',
  'due_date',
  'estimate_number',
  'valid_until',
] as const

/** Fills `{{name}}` placeholders; an unknown or missing variable becomes an empty string. */
export function render(template: string, vars: Record<string, string | undefined>): string {
  return template
    .replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => vars[name] ?? '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim()
}

/** The HTML of an email body: escaped text, paragraphs, links made clickable. */
export function emailHtml(text: string): string {
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
  return text
    .split(/\n{2,}/)
    .map((para) => {
      const html = escapeHtml(para)
        .replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)
        .replace(/\n/g, '<br>')
      return `<p>${html}</p>`
    })
    .join('\n')
}

/** "Tue, Mar 3 at 2:30 PM" in the recipient's zone. */
export function formatJobTime(startAt: string, tz: string): string {
  const d = new Date(startAt)
  const day = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(d)
  const time = new Intl.DateTimeFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(d)
  return `on ${day} at ${time}`
}

/** "$1,234.50" from cents. */
export function formatMoney(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100)
}
