import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { ProgrammeForm } from "~/components/programme-form";
import { createProgramme, getNewProgrammeForm } from "~/domain/programme-edits.server";
import { programmeSchema } from "~/schemas/programmes";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Nytt program – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getNewProgrammeForm(ctx);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: programmeSchema });
  const result = await createProgramme(ctx, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/program/${result.value.id}`);
}

export default function NewProgramme() {
  const { municipalities, ownerChoices } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li aria-current="page">Nytt program</li>
        </ol>
      </nav>
      <h1>Nytt program</h1>
      <ProgrammeForm
        lastResult={lastResult}
        defaultValue={{ ownerMunicipalityId: ownerChoices.length === 1 ? ownerChoices[0].id : undefined }}
        municipalities={municipalities}
        ownerChoices={ownerChoices}
        submitLabel="Skapa program"
        cancelTo="/program"
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
