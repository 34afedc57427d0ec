import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { getImportTemplate } from "~/domain/participant-import.server";
import { csvResponse } from "~/utils/csv.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const { filename, csv } = await getImportTemplate(ctx);
  return csvResponse(filename, csv);
}
