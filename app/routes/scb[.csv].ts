import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { exportScbMonth } from "~/domain/scb.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const params = new URL(request.url).searchParams;
  const programme = params.get("program") ?? "";
  // The domain checks the grant first, then the month.
  const month = params.get("manad") ?? "";
  const { filename, body } = await exportScbMonth(ctx, { programmeId: /^\d{1,9}$/.test(programme) ? Number(programme) : undefined, month }, "csv");
  return csvResponse(filename, body as string);
}
