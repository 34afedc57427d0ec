import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { openManagerLink } from "~/domain/action-plans.server";
import { goalStatusLabels } from "~/ui/feedback";

export const meta: MetaFunction = () => [{ title: "Handlingsplan – Programportalen" }, { name: "robots", content: "noindex" }];

const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer" };

/** The manager's read-only view of an action plan, through the participant's link (no login). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await openManagerLink({ db: context.db, token: params.token ?? "", clientIp: context.clientIp });
  if (!page) throw new Response("Länken gäller inte. Be om en ny länk.", { status: 404, headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  if (page.kind === "limited") throw new Response("För många försök. Vänta en stund och försök igen.", { status: 429, headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" } });
  return json(page, { headers: HEADERS });
}

export default function ManagerView() {
  const page = useLoaderData<typeof loader>();
  return (
    <div className="page">
      <h1>Handlingsplan: {page.name}</h1>
      <p className="lead">{page.name} har delat sin handlingsplan med dig. Du kan läsa den, inte ändra den.</p>
      {page.goals.length ? (
        page.goals.map((g, i) => (
          <section key={i} className="card">
            <h2>
              Mål {i + 1}: {g.title}
            </h2>
            <p>Läge: {goalStatusLabels[g.status]}</p>
            <p>
              <strong>Aktiviteter:</strong> {g.actions}
            </p>
            {g.manager_support ? (
              <p>
                <strong>Stöd från dig som chef:</strong> {g.manager_support}
              </p>
            ) : null}
            <p>
              {g.starts_on ? `Start ${g.starts_on}. ` : ""}
              {g.due_on ? `Klart ${g.due_on}.` : ""}
            </p>
          </section>
        ))
      ) : (
        <p className="empty">Planen har inga mål än.</p>
      )}
    </div>
  );
}
