/** A small SVG bar chart drawn on the server, shared by the dashboard's week and the reviews' months. */

/** One bar: its height (`value`), the text above it, the label under it, an optional second line, and whether it stands out. */
export interface Bar {
  label: string
  value: number
  caption: string
  highlight?: boolean
  sub?: string
}

/** Bars scaled to the largest value; `title` (with the numbers) names the chart for screen readers. */
export function BarChart({
  bars,
  title,
  titleId,
  testId,
  gap = 10,
  note,
}: {
  bars: Bar[]
  title: string
  titleId: string
  testId: string
  gap?: number
  note?: string
}) {
  // A second line under the labels needs more room below the axis.
  const W = 350,
    H = 150,
    top = 18,
    bottom = bars.some((b) => b.sub !== undefined) ? 36 : 24
  const max = Math.max(1, ...bars.map((b) => b.value))
  const slot = W / bars.length
  const barW = slot - gap
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={titleId}
        data-testid={testId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{title}</title>
        <line x1="0" x2={W} y1={H - bottom} y2={H - bottom} class="chart-axis" />
        {bars.map((b, i) => {
          const h = Math.round(((H - top - bottom) * b.value) / max)
          const x = i * slot + gap / 2
          const y = H - bottom - h
          return (
            <g>
              <rect
                x={x}
                y={y}
                width={barW}
                height={Math.max(h, b.value ? 2 : 0)}
                rx="4"
                class={b.highlight ? 'chart-bar chart-today' : 'chart-bar'}
              />
              <text x={x + barW / 2} y={y - 5} text-anchor="middle" class="chart-n">
                {b.caption}
              </text>
              <text x={x + barW / 2} y={H - bottom + 16} text-anchor="middle" class="chart-day">
                {b.label}
              </text>
              {b.sub === undefined ? null : (
                <text x={x + barW / 2} y={H - bottom + 30} text-anchor="middle" class="chart-date">
                  {b.sub}
                </text>
              )}
            </g>
          )
        })}
      </svg>
      {note ? <figcaption class="muted small">{note}</figcaption> : null}
    </figure>
  )
}
