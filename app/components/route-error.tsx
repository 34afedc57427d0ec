import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/**
 * Error boundary for pages inside the layout: the menu stays, and the user
 * reads a Swedish explanation (the message of a thrown 4xx Response when it has one).
 */
export function RouteErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const fallback: Record<number, string> = {
      400: "Något i förfrågan var fel.",
      403: "Du har inte behörighet till den här sidan.",
      404: "Sidan finns inte, eller så har du inte tillgång till den.",
      409: "Uppgifterna har ändrats av någon annan. Ladda om sidan och försök igen.",
    };
    const message = typeof error.data === "string" && error.data ? error.data : (fallback[error.status] ?? "Något gick fel.");
    return (
      <div className="page">
        <h1>{error.status === 403 ? "Åtkomst nekad" : error.status === 404 ? "Sidan finns inte" : "Det gick inte"}</h1>
        <p>{message}</p>
        <p>
          <Link to="/">Till översikten</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Något gick fel</h1>
      <p>Ett oväntat fel inträffade. Försök igen om en stund. Om felet kvarstår, kontakta din systemadministratör.</p>
    </div>
  );
}
