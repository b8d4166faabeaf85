// The pipeline board: drag a lead's card to another column to move it. A drop sets the card's own
// status form (the one keyboard and no-JavaScript users submit) and submits it; htmx posts it and
// puts the card at the top of its new column with both columns' counts. No framework: listeners on
// the document, so they keep working after each swap.
;(() => {
  document.documentElement.classList.add('js')

  /** The card being dragged: { id, from }. */
  let drag = null
  /** The card whose select or button had focus when its form went, to focus again once it is back. */
  let refocus = null

  const cardOf = (el) => el?.closest?.('[data-lead]')
  const columnOf = (el) => el?.closest?.('[data-drop-status]')

  function clearOver() {
    for (const col of document.querySelectorAll('.board-col.is-over')) col.classList.remove('is-over')
  }

  function move(card, status) {
    const form = card.querySelector('form.lead-move')
    if (!form) return
    form.elements.status_id.value = status
    form.requestSubmit()
  }

  document.addEventListener('dragstart', (e) => {
    const card = cardOf(e.target)
    if (!card || card.getAttribute('draggable') !== 'true') return
    drag = { id: card.dataset.lead, from: card.dataset.status }
    e.dataTransfer.effectAllowed = 'move'
    e.dataTransfer.setData('text/plain', card.dataset.lead)
    card.classList.add('is-dragging')
  })

  document.addEventListener('dragend', (e) => {
    cardOf(e.target)?.classList.remove('is-dragging')
    clearOver()
    drag = null
  })

  document.addEventListener('dragover', (e) => {
    const col = columnOf(e.target)
    if (!col || !drag) return
    e.preventDefault()
    e.dataTransfer.dropEffect = 'move'
    if (!col.classList.contains('is-over')) {
      clearOver()
      col.classList.add('is-over')
    }
  })

  document.addEventListener('drop', (e) => {
    const col = columnOf(e.target)
    if (!col || !drag) return
    e.preventDefault()
    clearOver()
    const { id, from } = drag
    drag = null
    const card = document.getElementById(`lead-${id}`)
    if (card && col.dataset.dropStatus !== from) move(card, col.dataset.dropStatus)
  })

  // Keyboard users move a card with its select and Move button: bring focus back to it once it lands.
  document.addEventListener('submit', (e) => {
    const card = cardOf(e.target)
    if (!card || !e.target.matches('form.lead-move')) return
    if (card.contains(document.activeElement)) refocus = card.dataset.lead
    card.classList.add('is-moving')
  })

  // The old card goes first and the moved one comes with the answer's partials, so wait until it is there.
  document.addEventListener('htmx:after:settle', () => {
    const select = refocus && document.querySelector(`#lead-${CSS.escape(refocus)}:not(.is-moving) select`)
    if (!select) return
    select.focus()
    refocus = null
  })
})()
