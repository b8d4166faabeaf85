/**
 * The Workers AI call: one instruct model, named once here. The answer's text is taken from either
 * shape Workers AI gives (`{response}` or OpenAI-style `choices[0].message.content`) and read
 * defensively: anything that is not the JSON asked for is left to the built-in rules.
 */
import { type Answer, PRIORITIES, type Priority } from './builtin'
import type { Prompt } from './prompt'

/**
 * Google's Gemma 4 26B A4B instruct model on Workers AI: a current catalogue model (one of the
 * replacements Cloudflare recommended when older Llama and Mistral models were retired in May
 * 2026) with JSON output, and small and fast enough for a brief staff wait for.
 */
export const MODEL = '@cf/google/gemma-4-26b-a4b-it'

/** How long a brief waits for the model before the built-in rules answer instead. */
const TIMEOUT_MS = 20_000

/** The slice of the Workers AI binding the assistant uses. */
export type AiBinding = { run(model: string, inputs: Record<string, unknown>): Promise<unknown> }

/**
 * The model binding when this run can use it. `wrangler dev --local` (APP_ENV development) gets a
 * stand-in for the remote-only binding that only throws, so development answers with the
 * built-in rules as if unbound.
 */
export function modelBinding(env: { AI?: unknown; APP_ENV?: string }): AiBinding | undefined {
  return env.APP_ENV === 'development' ? undefined : (env.AI as AiBinding | undefined)
}

/** Asks the model; resolves with the raw text it answered. Throws when the call fails or takes too long. */
export async function askModel(
  ai: AiBinding,
  prompt: Prompt,
  opts: { json: boolean; maxTokens: number },
): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)
  })
  try {
    const output = await Promise.race([
      ai.run(MODEL, {
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        max_tokens: opts.maxTokens,
        temperature: 0.2,
        ...(opts.json ? { response_format: { type: 'json_object' } } : {}),
      }),
      timeout,
    ])
    return textOf(output)
  } finally {
    clearTimeout(timer)
  }
}

/** The text of a Workers AI answer, whichever shape it came in; an object answer is kept as JSON. */
export function textOf(output: unknown): string {
  if (typeof output === 'string') return output
  if (output && typeof output === 'object') {
    const o = output as { response?: unknown; choices?: Array<{ message?: { content?: unknown } }> }
    if (typeof o.response === 'string') return o.response
    if (o.response && typeof o.response === 'object') return JSON.stringify(o.response)
    const content = o.choices?.[0]?.message?.content
    if (typeof content === 'string') return content
  }
  return JSON.stringify(output ?? null)
}

/** The JSON object in a model's text (code fences and words around it allowed); null when there is none. */
export function jsonObjectIn(raw: string): Record<string, unknown> | null {
  const start = raw.indexOf('{')
  const end = raw.lastIndexOf('}')
  if (start < 0 || end <= start) return null
  try {
    const value: unknown = JSON.parse(raw.slice(start, end + 1))
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The brief in a model's text; null unless it is complete. */
export function parseAnswer(raw: string): Answer | null {
  const v = jsonObjectIn(raw)
  if (!v) return null
  const summary = typeof v['summary'] === 'string' ? v['summary'].trim() : ''
  const next = typeof v['next_action'] === 'string' ? v['next_action'].trim() : ''
  const priority = typeof v['priority'] === 'string' ? v['priority'].trim().toLowerCase() : ''
  if (!summary || !next || !PRIORITIES.includes(priority as Priority)) return null
  return { summary: summary.slice(0, 1000), next_action: next.slice(0, 300), priority: priority as Priority }
}
