import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { optOutByLink, optOutLinkExists } from "~/domain/reminder-opt-outs.server";

export const meta: MetaFunction = () => [{ title: "Avsluta påminnelser – Programportalen" }, { name: "robots", content: "noindex" }];

const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer" };

const gone = () =>
  new Response("Länken gäller inte. Du kan stänga av påminnelser under Mitt schema när du är inloggad.", {
    status: 404,
    headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" },
  });

/**
 * The link in a reminder e-mail (no login). Opening it changes nothing (mail
 * scanners open links); the button does, and so does a mail program's
 * one-click POST (RFC 8058, List-Unsubscribe-Post).
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  if (!(await optOutLinkExists({ db: context.db, token: params.token ?? "" }))) throw gone();
  return json({}, { headers: HEADERS });
}

export async function action({ params, context }: ActionFunctionArgs) {
  if (!(await optOutByLink({ db: context.db, token: params.token ?? "" }))) throw gone();
  return json({ done: true }, { headers: HEADERS });
}

export default function OptOut() {
  const done = useActionData<typeof action>()?.done;
  return (
    <div className="page">
      <h1>Avsluta påminnelser</h1>
      {done ? (
        <div className="alert alert--success" role="status">
          <p>Klart. Du får inte längre påminnelser före träffar. Ändrade och inställda träffar och meddelanden till omgången får du ändå.</p>
        </div>
      ) : (
        <>
          <p>Vill du sluta få påminnelser med e-post före programmets träffar? Ändrade och inställda träffar får du alltid veta om.</p>
          <Form method="post">
            <button type="submit" className="button">
              Avsluta påminnelser
            </button>
          </Form>
        </>
      )}
    </div>
  );
}
