import "./schemas/swedish-errors";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceProvider } from "./components/nonce";

// Pages are rendered whole before they are sent (no deferred data, no
// Suspense), which keeps status codes and headers honest for every client.
// renderToString does exactly that in one synchronous pass, without the
// stream plumbing and the abort timer a streaming render needs per request
// (see docs/performance.md).
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.nonce;
  const html = renderToString(
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "no-store");
  // Bytes, not a string: a string body is scanned character by character
  // (for lone surrogates) and then encoded again in the stream.
  return new Response(Buffer.from(`<!DOCTYPE html>${html}`), { headers: responseHeaders, status: responseStatusCode });
}

/**
 * Log real failures only: a 4xx the app answered on purpose (not found, no
 * such action, access denied) is an answer, not an error. Aborted requests
 * (the user went away) are not errors either.
 */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
}

/** Data for client-side navigation carries personal data just like the pages: never cached. */
export function handleDataRequest(response: Response) {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
  return response;
}
