// The schedule's calendar: drag a job to another day, time or person; or focus it and move it with
// the arrow keys (Enter moves it, Escape puts it back), or its "Move" button. Every move fills the
// page's one move form (#move-form) and submits it; htmx posts it and swaps the calendar.
// No framework: listeners on the document, so they keep working after each swap.
;(() => {
  const STEP = 15
  const DAY = 24 * 60
  document.documentElement.classList.add('js')

  /** The job being dragged: { id, grab (minutes between its start and the pointer), minutes, zone, what }. */
  let drag = null
  /** A move made with the keyboard, not yet confirmed. */
  let pending = null
  /** The job to focus once the calendar comes back. */
  let refocus = null

  const pad = (n) => String(n).padStart(2, '0')
  const cardOf = (el) => el?.closest?.('[data-job]')
  const zoneOf = (el) => el?.closest?.('[data-drop-date]')
  const minutesOf = (local) => Number(local.slice(11, 13)) * 60 + Number(local.slice(14, 16))
  const whatOf = (card) => card.querySelector('.job-client')?.textContent ?? 'the visit'
  const status = (text) => {
    const line = document.getElementById('move-status')
    if (line) line.textContent = text
  }

  function addDays(date, days) {
    const d = new Date(`${date}T00:00:00Z`)
    d.setUTCDate(d.getUTCDate() + days)
    return d.toISOString().slice(0, 10)
  }

  function clock(minutes) {
    const h = Math.floor(minutes / 60)
    return `${h % 12 || 12}:${pad(minutes % 60)} ${h < 12 ? 'AM' : 'PM'}`
  }

  function dayName(date) {
    return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', {
      timeZone: 'UTC',
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    })
  }

  /** The card of a job that is showing (the day view has one in the grid and one in the phone agenda). */
  function shownCard(id) {
    const cards = [...document.querySelectorAll(`[data-job="${CSS.escape(id)}"]`)]
    return cards.find((c) => c.offsetParent !== null) ?? cards[0]
  }

  /** Posts the move: the day and minutes on the calendar's clock and, when it changes, who works the job. */
  function send(id, date, minutes, person, what) {
    const form = document.getElementById('move-form')
    if (!form) return
    form.elements.job_id.value = id
    form.elements.start_at.value = `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
    form.elements.person.value = person ?? ''
    form.elements.what.value = what
    refocus = id
    status(`Moving ${what}…`)
    form.requestSubmit()
  }

  // Drag and drop: a column of the time grid takes the time under the pointer; a day of the month keeps the time.

  const perMinute = (zone) => zone.getBoundingClientRect().height / (Number(zone.dataset.to) - Number(zone.dataset.from))
  const timed = (zone) => zone.dataset.from !== undefined && getComputedStyle(zone).position === 'relative'

  function clearOver() {
    for (const z of document.querySelectorAll('.is-over')) z.classList.remove('is-over')
  }

  document.addEventListener('dragstart', (e) => {
    const card = cardOf(e.target)
    if (!card || card.getAttribute('draggable') !== 'true') return
    const zone = zoneOf(card)
    const grab = zone && timed(zone) ? (e.clientY - card.getBoundingClientRect().top) / perMinute(zone) : 0
    drag = { id: card.dataset.job, grab, minutes: minutesOf(card.dataset.local), zone, what: whatOf(card) }
    e.dataTransfer.effectAllowed = 'move'
    e.dataTransfer.setData('text/plain', card.dataset.job)
    card.classList.add('is-dragging')
  })

  document.addEventListener('dragend', (e) => {
    cardOf(e.target)?.classList.remove('is-dragging')
    clearOver()
    drag = null
  })

  document.addEventListener('dragover', (e) => {
    const zone = zoneOf(e.target)
    if (!zone || !drag) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    if (!zone.classList.contains('is-over')) {
      clearOver()
      zone.classList.add('is-over')
    }
  })

  document.addEventListener('drop', (e) => {
    const zone = zoneOf(e.target)
    if (!zone || !drag) return
    e.preventDefault()
    clearOver()
    let minutes = drag.minutes
    if (timed(zone)) {
      const at = Number(zone.dataset.from) + (e.clientY - zone.getBoundingClientRect().top) / perMinute(zone) - drag.grab
      minutes = Math.min(Math.max(Math.round(at / STEP) * STEP, 0), DAY - STEP)
    }
    // Dropped in another person's column, the job becomes that person's; within one column only its time changes.
    const person = zone.dataset.dropPerson !== drag.zone?.dataset.dropPerson ? zone.dataset.dropPerson : ''
    const same = zone === drag.zone && minutes === drag.minutes
    const { id, what } = drag
    drag = null
    if (!same) send(id, zone.dataset.dropDate, minutes, person, what)
  })

  // The keyboard: arrows move the focused job (15 minutes, a day, or the next person's column), Enter confirms.

  function begin(card) {
    const zone = zoneOf(card)
    return {
      card,
      id: card.dataset.job,
      what: whatOf(card),
      date: card.dataset.local.slice(0, 10),
      minutes: minutesOf(card.dataset.local),
      zone,
      from: zone?.dataset.dropPerson,
      home: {
        parent: card.parentNode,
        next: card.nextSibling,
        style: card.getAttribute('style'),
        time: card.querySelector('.job-time')?.textContent,
      },
    }
  }

  function step(p, key, view) {
    const days = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: view === 'month' ? -7 : 0, ArrowDown: view === 'month' ? 7 : 0 }
    if (view !== 'month' && (key === 'ArrowUp' || key === 'ArrowDown')) {
      p.minutes = Math.min(Math.max(p.minutes + (key === 'ArrowUp' ? -STEP : STEP), 0), DAY - STEP)
      return
    }
    const columns = p.zone?.dataset.dropPerson !== undefined ? [...document.querySelectorAll('.cal-slots[data-drop-person]')] : []
    if (columns.length > 1 && p.zone.offsetParent !== null) {
      const i = Math.min(Math.max(columns.indexOf(p.zone) + days[key], 0), columns.length - 1)
      p.zone = columns[i]
      return
    }
    p.date = addDays(p.date, days[key])
    p.zone = document.querySelector(`[data-drop-date="${p.date}"]${p.zone?.dataset.dropPerson ? '' : ':not([data-drop-person])'}`) ?? p.zone
  }

  /** Shows where the job would go: in its new column and time, and read out. */
  function preview(p) {
    const { card } = p
    card.classList.add('is-moving')
    const time = card.querySelector('.job-time')
    if (time) time.textContent = clock(p.minutes)
    const zone = p.zone
    if (zone && zone.offsetParent !== null && zone !== card.parentNode && zoneOf(card) !== zone) {
      ;(zone.querySelector('.month-jobs') ?? zone).append(card)
    }
    if (zone && timed(zone)) {
      card.style.setProperty('--t', String(Math.max(p.minutes - Number(zone.dataset.from), 0)))
      card.style.setProperty('--lane', '0')
      card.style.setProperty('--lanes', '1')
    }
    card.querySelector('.job-link')?.focus({ preventScroll: false })
    const person = p.zone?.dataset.dropPerson !== p.from ? p.zone?.closest('[aria-label]')?.getAttribute('aria-label') : null
    status(`Move ${p.what} to ${dayName(p.date)}, ${clock(p.minutes)}${person ? `, ${person}` : ''}. Enter moves it, Escape puts it back.`)
  }

  function cancel() {
    if (!pending) return
    const { card, home } = pending
    pending = null
    card.classList.remove('is-moving')
    if (card.parentNode !== home.parent) home.parent.insertBefore(card, home.next)
    if (home.style === null) card.removeAttribute('style')
    else card.setAttribute('style', home.style)
    const time = card.querySelector('.job-time')
    if (time && home.time !== undefined) time.textContent = home.time
    card.querySelector('.job-link')?.focus()
    status('Not moved.')
  }

  function confirm() {
    const p = pending
    pending = null
    const person = p.zone?.dataset.dropPerson !== p.from ? (p.zone?.dataset.dropPerson ?? '') : ''
    send(p.id, p.date, p.minutes, person, p.what)
  }

  const ARROWS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'])

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      const dialog = document.getElementById('move-dialog')
      if (dialog?.open && !dialog.matches(':modal')) dialog.close()
      if (pending) {
        e.preventDefault()
        cancel()
      }
      return
    }
    const card = cardOf(e.target)
    if (!card || !e.target.matches('.job-link') || !card.querySelector('[data-move]')) return
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
    if (ARROWS.has(e.key)) {
      e.preventDefault()
      if (pending && pending.card !== card) cancel()
      pending ??= begin(card)
      step(pending, e.key, document.getElementById('calendar')?.dataset.view)
      preview(pending)
    } else if (e.key === 'Enter' && pending?.card === card) {
      e.preventDefault()
      confirm()
    }
  })

  document.addEventListener('focusout', (e) => {
    // Leaving a job mid-move puts it back, unless focus only moved with the card.
    if (pending && cardOf(e.target) === pending.card && !pending.card.contains(e.relatedTarget) && e.relatedTarget)
      cancel()
  })

  // The Move button opens the form with the job's time; Enter or "Move" sends it.

  document.addEventListener('click', (e) => {
    const button = e.target.closest?.('[data-move]')
    if (button) {
      const card = cardOf(button)
      const dialog = document.getElementById('move-dialog')
      const form = document.getElementById('move-form')
      if (!card || !dialog || !form) return
      form.elements.job_id.value = card.dataset.job
      form.elements.start_at.value = card.dataset.local
      form.elements.person.value = ''
      form.elements.what.value = whatOf(card)
      document.getElementById('move-what').textContent = whatOf(card)
      refocus = card.dataset.job
      if (dialog.open) dialog.close()
      dialog.showModal()
      form.elements.start_at.focus()
      return
    }
    if (e.target.closest?.('[data-close]')) e.target.closest('dialog')?.close()
  })

  // Back from the server: focus the moved job again so the next arrow moves it on.

  document.addEventListener('htmx:after:settle', () => {
    if (!refocus) return
    const dialog = document.getElementById('move-dialog')
    if (dialog?.open) {
      dialog.querySelector('[aria-invalid="true"], input[name="allow_past"]')?.focus()
      return
    }
    shownCard(refocus)?.querySelector('.job-link')?.focus()
    const notice = document.querySelector('[data-testid="move-notice"]')
    status(notice ? notice.textContent.trim() : 'Moved.')
    refocus = null
  })
})()
