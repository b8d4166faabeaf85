/** Side by side: boxes of one column that overlap in time share its width in lanes. */

export type Box = { top: number; bottom: number }
export type Lane = { lane: number; lanes: number }

/**
 * The lane of each box (in start order) and how many lanes its cluster needs; a cluster is a run
 * of boxes each overlapping one before it. A box takes the first lane that is free at its top.
 */
export function lanes(boxes: Box[]): Lane[] {
  const out: Lane[] = []
  let ends: number[] = []
  let clusterStart = 0
  let clusterEnd = Number.NEGATIVE_INFINITY
  const close = (upTo: number) => {
    for (let i = clusterStart; i < upTo; i++) out[i]!.lanes = ends.length
  }
  boxes.forEach((box, i) => {
    if (box.top >= clusterEnd) {
      close(i)
      ends = []
      clusterStart = i
    }
    let lane = ends.findIndex((end) => end <= box.top)
    if (lane === -1) lane = ends.push(box.bottom) - 1
    else ends[lane] = box.bottom
    out.push({ lane, lanes: 1 })
    clusterEnd = Math.max(clusterEnd, box.bottom)
  })
  close(boxes.length)
  return out
}
