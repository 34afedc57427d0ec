import { SubmitButton } from "~/components/submit-button";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { getProgrammeRetention, setProgrammeRetention } from "~/domain/retention.server";
import { retentionSchema } from "~/schemas/privacy";
import { fundingLabels, retentionPeriod } from "~/ui/labels";
import { formatDateTime } from "~/utils/format";
import { replyWithRefusal } from "~/utils/action-result.server";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Gallring, ${data.programmeName} – Programportalen` : "Gallring – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getProgrammeRetention(ctx, idParam(params.programmeId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const submission = parseWithZod(await readFormData(request), { schema: retentionSchema });
  const result = await setProgrammeRetention(ctx, programmeId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/program/${programmeId}/gallring?sparad=1`);
}

export default function ProgrammeRetentionPage() {
  const retention = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();

  return (
    <div className="page privacy-page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${retention.programmeId}`}>{retention.programmeName}</Link>
          </li>
          <li aria-current="page">Gallring</li>
        </ol>
      </nav>
      <h1>Gallring av deltagaruppgifter</h1>
      <p className="lead">{retention.programmeName}</p>

      <div role="status">
        {searchParams.get("sparad") && !lastResult ? <div className="alert alert--success">Gallringsfristen är sparad.</div> : null}
      </div>

      <section className="panel" aria-labelledby="current-heading">
        <h2 id="current-heading">Nuvarande gallringsfrist</h2>
        <p>
          Uppgifterna om en deltagare sparas i <strong>{retentionPeriod(retention.months)}</strong>
          {retention.months >= 12 ? ` (${retention.months} månader)` : ""} efter att
          deltagarens sista anmälan till programmet avslutades. Därefter kan kommunens samordnare anonymisera deltagaren.
          Statistiken påverkas inte.
        </p>
        <p>
          {retention.isDefault
            ? `Programmet använder standardvärdet för ${fundingLabels[retention.funding]}: ${retentionPeriod(retention.defaultMonths)}.`
            : `Standardvärdet för ${fundingLabels[retention.funding]} är ${retentionPeriod(retention.defaultMonths)}.${retention.updatedAt ? ` Senast ändrad ${formatDateTime(retention.updatedAt)}.` : ""}`}
        </p>
      </section>

      {/* Keyed by the stored period, so after a save the form shows it, not its first render. */}
      <RetentionForm key={`${retention.months}:${retention.updatedAt ?? ""}`} months={retention.months} lastResult={lastResult} />
    </div>
  );
}

function RetentionForm({ months, lastResult }: { months: number; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "retention",
    lastResult,
    defaultValue: { months: String(months) },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: retentionSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <h2>Ändra gallringsfrist</h2>
      <FormErrors id={form.errorId} errors={form.errors} />
      <TextField
        field={fields.months}
        label="Gallringsfrist i månader"
        type="number"
        hint="ESF-projekt ska normalt kunna granskas i cirka tio år (120 månader). Kontrollera beslutet om stöd och kommunens dokumenthanteringsplan."
      />
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Spara gallringsfrist
        </SubmitButton>
      </div>
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
