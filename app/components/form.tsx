import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { useActionData, useLocation } from "@remix-run/react";
import { useState, type ReactNode } from "react";

type InputType = "text" | "email" | "password" | "number" | "date" | "datetime-local" | "time" | "search" | "url" | "tel";

interface FieldShellProps {
  id: string;
  label: string;
  hint?: string;
  hintId?: string;
  errorId: string;
  errors?: string[];
  children: ReactNode;
}

/** Label, optional hint and the field's errors, tied together for screen readers. */
function FieldShell({ id, label, hint, hintId, errorId, errors, children }: FieldShellProps) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      <div id={errorId}>
        {errors?.map((e) => (
          <p key={e} className="field-error">
            {e}
          </p>
        ))}
      </div>
    </div>
  );
}

function describedBy(field: FieldMetadata<unknown>, hint?: string) {
  return [hint ? `${field.id}-hint` : null, field.errors?.length ? field.errorId : null].filter(Boolean).join(" ") || undefined;
}

export function TextField<T>({
  field,
  label,
  type = "text",
  hint,
  autoComplete,
  required,
  inputMode,
}: {
  field: FieldMetadata<T>;
  label: string;
  type?: InputType;
  hint?: string;
  autoComplete?: string;
  required?: boolean;
  inputMode?: "decimal" | "numeric";
}) {
  const meta = field as FieldMetadata<unknown>;
  const { key, ...inputProps } = getInputProps(meta, { type, ariaAttributes: true });
  return (
    <FieldShell id={meta.id} label={label} hint={hint} hintId={`${meta.id}-hint`} errorId={meta.errorId} errors={meta.errors}>
      <input
        key={key}
        {...inputProps}
        required={required}
        autoComplete={autoComplete}
        inputMode={inputMode}
        aria-describedby={describedBy(meta, hint)}
      />
    </FieldShell>
  );
}

export function TextAreaField<T>({ field, label, hint }: { field: FieldMetadata<T>; label: string; hint?: string }) {
  const meta = field as FieldMetadata<unknown>;
  const { key, ...props } = getTextareaProps(meta, { ariaAttributes: true });
  return (
    <FieldShell id={meta.id} label={label} hint={hint} hintId={`${meta.id}-hint`} errorId={meta.errorId} errors={meta.errors}>
      <textarea key={key} {...props} aria-describedby={describedBy(meta, hint)} />
    </FieldShell>
  );
}

export function SelectField<T>({
  field,
  label,
  options,
  hint,
  placeholder,
}: {
  field: FieldMetadata<T>;
  label: string;
  options: { value: string; label: string }[];
  hint?: string;
  placeholder?: string;
}) {
  const meta = field as FieldMetadata<unknown>;
  const { key, defaultValue, ...props } = getSelectProps(meta, { ariaAttributes: true });
  return (
    <FieldShell id={meta.id} label={label} hint={hint} hintId={`${meta.id}-hint`} errorId={meta.errorId} errors={meta.errors}>
      {/* A tampered post can repeat the field; a single select shows its first value. */}
      <select key={key} {...props} defaultValue={Array.isArray(defaultValue) ? defaultValue[0] : defaultValue} aria-describedby={describedBy(meta, hint)}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** Errors that belong to the whole form, announced when they appear. */
export function FormErrors({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <div id={id} role="alert" aria-live="assertive">
      {errors?.length ? (
        <div className="alert alert--error">
          {errors.map((e) => (
            <p key={e}>{e}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The form's own errors plus those of fields that have no visible input here
 * (hidden ids, button values, a tampered intent), which would otherwise be
 * refused without a word. `shown` lists the fields that show their own errors.
 */
export function unshownErrors(form: { allErrors: Record<string, string[] | undefined> }, shown: string[] | ((name: string) => boolean) = []): string[] {
  const isShown = typeof shown === "function" ? shown : (name: string) => shown.includes(name);
  // The form's own errors (Conform keys them "") have no field to stand beside, whatever `shown` says.
  const messages = Object.entries(form.allErrors)
    .filter(([name]) => name === "" || !isShown(name))
    .flatMap(([, errors]) => errors ?? []);
  return [...new Set(messages)];
}

/** Every message of an action's reply, for a reply whose form is no longer on the page. */
export function replyMessages(result: { error?: Record<string, string[] | null> | null } | undefined): string[] {
  return [...new Set(Object.values(result?.error ?? {}).flatMap((errors) => errors ?? []))];
}

/**
 * The key of a form that adds something (an activity, a unit cost, a move of
 * seats). It changes at every navigation that is not answered by an action
 * reply: after a save (a redirect) the form starts empty instead of offering
 * the same entry again, while after a refusal it stays, with what was typed
 * and the errors. (The reply is on the page before the navigation ends, so a
 * key that changed with the refusal would wipe what the user began to fix.)
 * A form that shows stored values is keyed by their version instead
 * (docs/decisions/015-forms-show-what-was-saved.md).
 */
export function useEntryFormKey(): string {
  const location = useLocation();
  const replied = useActionData() !== undefined;
  const [key, setKey] = useState(location.key);
  if (!replied && key !== location.key) setKey(location.key);
  return key;
}
