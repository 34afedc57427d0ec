import type { LoaderFunctionArgs } from "@remix-run/node";
import { buildFeed } from "~/domain/calendar.server";
import { feedText } from "~/ui/calendar-feed.server";

/**
 * The calendar feed itself (no login: the unguessable address is the key).
 * Calendar programs poll it; ETag lets them do so cheaply with a 304.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  // The segment is "<token>.ics"; matched whole so that any unknown address is this route's 404.
  const token = /^(.+)\.ics$/.exec(params.token ?? "")?.[1];
  const feed = token ? await buildFeed(context, token) : null;
  if (!feed) {
    return new Response("Kalendern finns inte. Adressen kan ha förnyats.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const headers = {
    ETag: feed.etag,
    "Last-Modified": feed.lastModified.toUTCString(),
    // Always revalidate: a moved session must show up at the next poll.
    "Cache-Control": "private, no-cache",
    "X-Robots-Tag": "noindex",
  };
  const ifNoneMatch = request.headers.get("If-None-Match");
  // Weak comparison (RFC 9110, 13.1.2): the opaque tags match, with or without W/.
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(feed.etag))) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(feedText(feed, context.config.publicUrl), {
    headers: { ...headers, "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'inline; filename="programportalen.ics"' },
  });
}
