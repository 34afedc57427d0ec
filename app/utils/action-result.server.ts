/**
 * One mapping from a domain `Result` to the HTTP answer of an action, so every
 * form shows a refusal the same way: its status (4xx) and its messages, the
 * form's message above it and field messages beside their fields.
 */
import type { SubmissionResult } from "@conform-to/react";
import { json, type TypedResponse } from "@remix-run/node";
import type { Refusal } from "~/domain/result";

interface Replying {
  /** Conform's: "error" when the input did not pass the form's schema. */
  status?: "success" | "error";
  reply(options?: { formErrors?: string[]; fieldErrors?: Record<string, string[]>; hideFields?: string[] }): SubmissionResult<string[]>;
}

/** The status of a refusal, and Retry-After when it says how long to wait. */
export function refusalInit(refusal: Refusal): ResponseInit {
  return refusal.retryAfterSeconds
    ? { status: refusal.status, headers: { "Retry-After": String(refusal.retryAfterSeconds) } }
    : { status: refusal.status };
}

/**
 * A Conform form's answer to a refused action (or to input that did not pass
 * its schema). `hideFields` (passwords, codes) are not sent back to be filled in again.
 */
export function replyWithRefusal(
  submission: Replying,
  refusal: Refusal,
  options: { hideFields?: string[]; headers?: HeadersInit } = {},
): TypedResponse<SubmissionResult<string[]>> {
  const { reply, status } = refusalReply(submission, refusal, options.hideFields);
  const headers = new Headers(options.headers);
  if (refusal.retryAfterSeconds && status === refusal.status) headers.set("Retry-After", String(refusal.retryAfterSeconds));
  return json(reply, { status, headers });
}

/** The same answer unwrapped, for a page with several forms that says which one was refused. */
export function refusalReply(
  submission: Replying,
  refusal: Refusal,
  hideFields?: string[],
): { reply: SubmissionResult<string[]>; status: number } {
  if (submission.status === "error") return { reply: submission.reply({ hideFields }), status: 400 };
  return {
    reply: submission.reply({ formErrors: refusal.message ? [refusal.message] : undefined, fieldErrors: refusal.fieldErrors, hideFields }),
    status: refusal.status,
  };
}

/** A Conform form whose input did not pass its schema: 400 with the schema's messages. */
export function replyWithInvalidInput(submission: Replying): TypedResponse<SubmissionResult<string[]>> {
  return json(submission.reply(), { status: 400 });
}

/** An action without a Conform form (a button): `{ ok: false, message }` with the refusal's status. */
export function refusalResponse(refusal: Refusal) {
  return json({ ok: false as const, message: refusal.message ?? "Det gick inte att spara.", fieldErrors: refusal.fieldErrors ?? {} }, refusalInit(refusal));
}

/** A refused read (a loader, a download, or a page that cannot be shown, thrown to the error boundary): the message as plain text with the refusal's status. */
export function refusalText(refusal: Refusal): Response {
  return new Response(refusal.message ?? "Felaktig begäran.", { status: refusal.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
