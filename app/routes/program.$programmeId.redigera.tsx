import { RouteErrorBoundary } from "~/components/route-error";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { ProgrammeForm } from "~/components/programme-form";
import { getProgrammeForEdit, updateProgramme } from "~/domain/programme-edits.server";
import { programmeSchema } from "~/schemas/programmes";
import { idParam } from "~/utils/params";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Redigera ${data?.name ?? "program"} – Programportalen` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  return { programmeId, ...(await getProgrammeForEdit(ctx, programmeId)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const submission = parseWithZod(await readFormData(request), { schema: programmeSchema });
  const result = await updateProgramme(ctx, programmeId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/program/${programmeId}`);
}

export default function EditProgramme() {
  const { programmeId, name, values, options } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${programmeId}`}>{name}</Link>
          </li>
          <li aria-current="page">Redigera</li>
        </ol>
      </nav>
      <h1>Redigera program</h1>
      <ProgrammeForm
        lastResult={lastResult}
        defaultValue={values}
        municipalities={options.municipalities}
        ownerChoices={options.ownerChoices}
        submitLabel="Spara ändringar"
        cancelTo={`/program/${programmeId}`}
      />
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
