/**
 * What a domain action answers. A refusal the user can act on (bad input, a
 * rule of the programme, someone else's change in between) is a value the
 * route shows next to the form; only 403 and 404 are thrown (`requireGrant`,
 * `notFound` in context.server.ts), because no form can fix those.
 *
 * Routes turn a refusal into an HTTP answer with `app/utils/action-result.server.ts`.
 */
export type RefusalStatus = 400 | 409 | 413 | 422 | 429;

export interface Refusal {
  ok: false;
  status: RefusalStatus;
  /** A message about the whole form, in Swedish. */
  message?: string;
  /** Messages beside named fields, in Swedish. */
  fieldErrors?: Record<string, string[]>;
  /** Messages per line of an uploaded file (the participant import). */
  lineErrors?: { line: number; messages: string[] }[];
  /** With 429: seconds before another try (sent as Retry-After). */
  retryAfterSeconds?: number;
}

export type Result<T = undefined> = { ok: true; value: T } | Refusal;

export function ok(): { ok: true; value: undefined };
export function ok<T>(value: T): { ok: true; value: T };
export function ok<T>(value?: T) {
  return { ok: true as const, value };
}

/** A refusal with one message for the whole form (400 unless told otherwise). */
export function refuse(message: string, status: RefusalStatus = 400): Refusal {
  return { ok: false, status, message };
}

/** Someone else changed the record since the form was loaded. */
export function conflict(message: string): Refusal {
  return refuse(message, 409);
}

/** Messages beside the named fields, and optionally one for the whole form. */
export function invalid(fieldErrors: Record<string, string[]>, message?: string): Refusal {
  return message ? { ok: false, status: 400, fieldErrors, message } : { ok: false, status: 400, fieldErrors };
}

/**
 * A form's input after the route's schema. The domain function takes it as it
 * is and checks the caller's grant before it looks at whether the input
 * passed, so a stranger is refused (403/404) before being told what is wrong.
 */
export type Checked<T> = { status: "success"; value: T } | { status: "error" | undefined };

/** The input did not pass its schema: the route answers with the schema's own messages. */
export const INPUT_REFUSED: Refusal = { ok: false, status: 400 };

/** Input that has passed its schema already (callers other than a form: seeds, tests, imports). */
export function checked<T>(value: T): Checked<T> {
  return { status: "success", value };
}

/** Too many tries (passwords, codes, reset links): wait `seconds` before the next. */
export function tooManyTries(message: string, seconds: number): Refusal {
  return { ok: false, status: 429, message, retryAfterSeconds: seconds };
}
