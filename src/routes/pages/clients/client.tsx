/** A client's page, and the in-place edits of what only this business keeps: the private details and the notes. */
import { Hono } from 'hono'
import { unwrap } from '../../../../durable-objects/org/result'
import { Notes, PrivateDetails } from '../../../../views/clients/details'
import { fragment } from '../../../../views/layout'
import type { AppEnv } from '../../../env'
import { formBody, ID, isHtmx } from '../forms'
import { detailsForm, noteForm } from './forms'
import { clientAndCard, clientPage, withTimeline } from './render'

/** The client page, its private details saved and a note added. */
export const clientPages = new Hono<AppEnv>()
  .get(`/:id{${ID}}`, async (c) => {
    // Notices are chosen here from a flag, never taken as text from the link.
    const cancelled = Number.parseInt(c.req.query('series_cancelled') ?? '', 10)
    const notice = c.req.query('existing')
      ? 'This person was already your client, so nothing new was added.'
      : cancelled >= 0
        ? `${cancelled} ${cancelled === 1 ? 'visit' : 'visits'} cancelled. Their reminders will not be sent.`
        : undefined
    return clientPage(c, c.req.param('id'), { notice })
  })
  .post(
    `/:id{${ID}}/details`,
    formBody(detailsForm, async (c, values, errors) => {
      const id = c.req.param('id')!
      if (!isHtmx(c)) return clientPage(c, id, { details: { values, errors } }, 422)
      const { client } = await clientAndCard(c, id)
      return fragment(c, <PrivateDetails client={client} values={values} errors={errors} />, 422)
    }),
    async (c) => {
      const id = c.req.param('id')
      const client = unwrap(await c.get('org').updateClient(id, c.req.valid('form')))
      if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
      return withTimeline(c, id, <PrivateDetails client={client} notice="Saved." />)
    },
  )
  .post(
    `/:id{${ID}}/notes`,
    formBody(
      noteForm,
      async (c, _values, errors) => {
        const id = c.req.param('id')!
        const note = { error: errors['note'] }
        if (!isHtmx(c)) return clientPage(c, id, { note }, 422)
        const { client } = await clientAndCard(c, id)
        return fragment(c, <Notes client={client} {...note} />, 422)
      },
      { fields: { notes: 'note' } },
    ),
    async (c) => {
      const id = c.req.param('id')
      const client = unwrap(
        await c.get('org').updateClient(id, { ...c.req.valid('form'), author: c.get('session')!.email }),
      )
      if (!isHtmx(c)) return c.redirect(`/app/clients/${id}`, 303)
      return withTimeline(c, id, <Notes client={client} />)
    },
  )
