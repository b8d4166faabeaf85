// The portal invoice's "Print or save as PDF": shown once this script runs, and opens the print dialog.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
