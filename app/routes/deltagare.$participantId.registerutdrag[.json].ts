import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { idParam } from "~/utils/params";
import { getRegisterExtract } from "~/domain/register-extract.server";
import { extractJsonResponse } from "~/utils/extract-response.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return extractJsonResponse(await getRegisterExtract(ctx, idParam(params.participantId), "json"));
}
