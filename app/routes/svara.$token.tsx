import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FeedbackAnswerForm } from "~/components/feedback-answer-form";
import { answerAsRater, openRaterLink } from "~/domain/feedback.server";
import { answerSchema } from "~/schemas/feedback";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "360-återkoppling – Programportalen" }, { name: "robots", content: "noindex" }];

const HEADERS = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer" };

function gone(): Response {
  return new Response("Länken gäller inte. Den kan ha återkallats, eller så är rundan avslutad.", {
    status: 404,
    headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" },
  });
}

function limited(retryAfter: number): Response {
  return new Response("För många försök. Vänta en stund och försök igen.", {
    status: 429,
    headers: { ...HEADERS, "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(retryAfter) },
  });
}

/** A rater's page, without login: the unguessable link is the only key and opens nothing else. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const page = await openRaterLink({ db: context.db, token: params.token ?? "", clientIp: context.clientIp });
  if (!page) throw gone();
  if (page.kind === "limited") throw limited(page.retryAfter);
  return json(page, { headers: HEADERS });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readFormData(request), { schema: answerSchema });
  const result = await answerAsRater({ db: context.db, token: params.token ?? "", clientIp: context.clientIp }, submission);
  if (!result) throw gone();
  if (!result.ok) {
    const errors = submission.status === "error" ? (submission.error ?? {}) : { ...(result.fieldErrors ?? {}), ...(result.message ? { "": [result.message] } : {}) };
    return json({ done: false as const, error: errors }, { status: result.status, headers: HEADERS });
  }
  return json({ done: true as const, error: {} }, { headers: HEADERS });
}

export default function RaterAnswer() {
  const page = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  if (page.kind === "answered" || answer?.done) {
    return (
      <div className="page">
        <h1>Tack för ditt svar</h1>
        <p>Ditt svar om {page.name} är sparat. Du kan stänga sidan.</p>
      </div>
    );
  }
  if (page.kind !== "form") return null;
  return (
    <div className="page">
      <h1>Återkoppling till {page.name}</h1>
      <p className="lead">
        Svara utifrån hur du har upplevt personen i arbetet. Välj ”Kan inte bedöma” om du inte vet. Svara senast {page.closesOn}.
      </p>
      <p>Ditt svar sparas utan ditt namn och din e-postadress och visas bara tillsammans med andras.</p>
      <FeedbackAnswerForm instrument={page.instrument} errors={answer?.error ?? {}} submitLabel="Skicka svar" />
    </div>
  );
}
