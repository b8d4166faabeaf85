/** Form controls beyond the text input: selects and text areas, each with its label and error. */

export type FormErrors = Record<string, string | undefined>
export type FormValues = Record<string, string | undefined>

export type Option = { value: string; label: string }

/** A select with its label; the option whose value equals `value` is chosen. */
export function SelectField(props: {
  label: string
  name: string
  options: Option[]
  value?: string
  error?: string
  id?: string
  required?: boolean
}) {
  const id = props.id ?? `f-${props.name}`
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === (props.value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** A multi-line text field with its label. */
export function TextareaField(props: {
  label: string
  name: string
  value?: string
  error?: string
  id?: string
  rows?: number
  placeholder?: string
  required?: boolean
}) {
  const id = props.id ?? `f-${props.name}`
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{props.label}</label>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        placeholder={props.placeholder}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.value ?? ''}
      </textarea>
      {props.error ? (
        <p class="error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** A summary of what to fix, shown above a form that came back with errors. */
export function FormAlert({ errors }: { errors: FormErrors }) {
  const count = Object.values(errors).filter(Boolean).length
  if (count === 0) return null
  return (
    <p class="alert" role="alert">
      {errors['form'] ??
        (count === 1 ? 'Please fix the field marked below.' : `Please fix the ${count} fields marked below.`)}
    </p>
  )
}
