import type { MetaFunction } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/route-error";
import { notFoundResponse } from "~/utils/params";

/**
 * Any address no other route matches: a Swedish 404 inside the layout, so the
 * menu and "Logga ut" stay (the root's own error page has neither).
 */
export const meta: MetaFunction = () => [
  { title: "Sidan finns inte – Programportalen" },
];

export function loader(): never {
  throw notFoundResponse();
}

export function action(): never {
  throw notFoundResponse();
}

export default function NotFound() {
  return null;
}

export const ErrorBoundary = RouteErrorBoundary;
