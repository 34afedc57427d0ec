import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { getOwnRegisterExtract } from "~/domain/register-extract.server";
import { extractJsonResponse } from "~/utils/extract-response.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return extractJsonResponse(await getOwnRegisterExtract(ctx, "json"));
}
