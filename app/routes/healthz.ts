import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { pingDatabase } from "~/db/connection.server";

export async function loader({ context }: LoaderFunctionArgs) {
  const ok = await pingDatabase(context.db);
  return json(ok ? { status: "ok", database: "ok" } : { status: "error", database: "unavailable" }, {
    status: ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
