import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { requireUserContext } from "~/auth/session.server";
import { RouteErrorBoundary } from "~/components/route-error";
import { readFormData } from "~/utils/form-data.server";
import { notFoundResponse } from "~/utils/params";

/**
 * Any address no other route matches: a Swedish 404 inside the layout, so the
 * menu and "Logga ut" stay (the root's own error page has neither). Anonymous
 * visitors go to the login page, as from every other page that is not public.
 */
export const meta: MetaFunction = () => [{ title: "Sidan finns inte – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs): Promise<never> {
  await requireUserContext(request, context);
  throw notFoundResponse();
}

export async function action({ request, context }: ActionFunctionArgs): Promise<never> {
  // Read first, under the same limits as every form, so an oversized post gets its 413 here too.
  await readFormData(request);
  await requireUserContext(request, context);
  throw notFoundResponse();
}

export default function NotFound() {
  return null;
}

export const ErrorBoundary = RouteErrorBoundary;
