/**
 * One mapping from a domain `Result` to the HTTP answer of an action, so every
 * form shows a refusal the same way: its status (4xx) and its messages, the
 * form's message above it and field messages beside their fields.
 */
import type { SubmissionResult } from "@conform-to/react";
import { json, type TypedResponse } from "@remix-run/node";
import type { Refusal } from "~/domain/result";

interface Replying {
  reply(options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }): SubmissionResult<string[]>;
}

/** A Conform form's answer to a refused action. */
export function replyWithRefusal(submission: Replying, refusal: Refusal): TypedResponse<SubmissionResult<string[]>> {
  return json(submission.reply({ formErrors: refusal.message ? [refusal.message] : undefined, fieldErrors: refusal.fieldErrors }), {
    status: refusal.status,
  });
}

/** A Conform form whose input did not pass its schema: 400 with the schema's messages. */
export function replyWithInvalidInput(submission: Replying): TypedResponse<SubmissionResult<string[]>> {
  return json(submission.reply(), { status: 400 });
}

/** An action without a Conform form (a button): `{ ok: false, message }` with the refusal's status. */
export function refusalResponse(refusal: Refusal) {
  return json({ ok: false as const, message: refusal.message ?? "Det gick inte att spara.", fieldErrors: refusal.fieldErrors ?? {} }, { status: refusal.status });
}
