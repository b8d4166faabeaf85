/** The builder's step edits: add, replace, move and delete, keeping branch jumps pointed at the same steps. */
import { notFound } from '../../../src/errors'
import type { BranchTarget } from '../schema'
import type { StepInput } from './definitions'

export type StepEdit =
  | { op: 'add'; step: StepInput }
  | { op: 'replace'; position: number; step: StepInput }
  | { op: 'move'; position: number; by: -1 | 1 }
  | { op: 'delete'; position: number }

/** The steps after one edit. A branch whose jump no longer points forward goes on to the next step instead. */
export function applyEdit(steps: StepInput[], edit: StepEdit): StepInput[] {
  if (edit.op === 'add') return [...steps, edit.step]
  if (!Number.isInteger(edit.position) || edit.position < 0 || edit.position >= steps.length) throw notFound('step')
  if (edit.op === 'replace') return steps.map((s, i) => (i === edit.position ? edit.step : s))
  // `order[newIndex] = oldIndex`.
  const order = steps.map((_, i) => i)
  if (edit.op === 'delete') order.splice(edit.position, 1)
  else {
    const other = edit.position + edit.by
    if (other < 0 || other >= steps.length) return steps
    order[edit.position] = other
    order[other] = edit.position
  }
  return order.map((old, i) => retarget(steps[old]!, i, order))
}

function retarget(step: StepInput, at: number, order: number[]): StepInput {
  if (step.type !== 'branch') return step
  const map = (t: BranchTarget | undefined): BranchTarget | undefined => {
    if (typeof t !== 'number') return t
    const moved = order.indexOf(t)
    return moved > at ? moved : 'continue'
  }
  return { ...step, on_true: map(step.on_true), on_false: map(step.on_false) }
}
