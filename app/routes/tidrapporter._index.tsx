import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextField, unshownErrors } from "~/components/form";
import { decideOwnActivity } from "~/domain/own-activities.server";
import { getMunicipalityTimeReports, type OwnActivityRow } from "~/domain/timereports.server";
import type { TimeReportStatus } from "~/db/schema";
import { getEmployers, setEmployerOrgNumber, type Employer } from "~/domain/municipalities.server";
import { employerSchema } from "~/schemas/municipalities";
import { certifyMonthSchema, decideOwnActivitySchema } from "~/schemas/timereports";
import { certifyMonth } from "~/domain/time-report-workflow.server";
import { ownActivityKindLabels, timeReportStatusLabels } from "~/ui/labels";
import { sortedTimeReports, timeReportListQuerySchema } from "~/ui/timereports";
import { SortHeader } from "~/components/sort-header";
import { capitalise, formatDate, formatMonth, stockholmToday } from "~/utils/format";
import { addMonthsToMonth, formatHours, isMonth } from "~/utils/hours";
import { refusalReply } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Tidrapporter – Programportalen" }];

const STATUSES: TimeReportStatus[] = ["draft", "confirmed", "certified", "reopened"];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const url = new URL(request.url);
  const thisMonth = stockholmToday().slice(0, 7);
  const requested = url.searchParams.get("manad") ?? "";
  const month = isMonth(requested) ? requested : addMonthsToMonth(thisMonth, -1);
  const requestedStatus = url.searchParams.get("status") as TimeReportStatus | null;
  const status = requestedStatus && STATUSES.includes(requestedStatus) ? requestedStatus : undefined;
  const data = await getMunicipalityTimeReports(ctx, { month, status });
  const listQuery = timeReportListQuerySchema.parse(Object.fromEntries(url.searchParams));
  return { ...data, reports: sortedTimeReports(data.reports, listQuery), listQuery, employers: await getEmployers(ctx), month, status: status ?? "", thisMonth };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const formData = await readFormData(request);
  const params = new URL(request.url).searchParams;
  params.delete("index");
  if (formData.get("intent") === "employer") {
    const employer = parseWithZod(formData, { schema: employerSchema });
    const saved = await setEmployerOrgNumber(ctx, employer);
    if (!saved.ok) {
      const { reply, status } = refusalReply(employer, saved);
      return json({ municipalityId: Number(formData.get("municipalityId")), employerReply: reply }, { status });
    }
    params.set("arbetsgivare", "sparad");
    return redirect(`/tidrapporter?${params.toString()}`);
  }
  if (formData.get("intent") === "certify-month") {
    const bulk = parseWithZod(formData, { schema: certifyMonthSchema });
    const certified = await certifyMonth(ctx, bulk);
    if (!certified.ok) {
      const { reply, status } = refusalReply(bulk, certified);
      return json({ bulkReply: reply }, { status });
    }
    params.set("attesterade", String(certified.value));
    return redirect(`/tidrapporter?${params.toString()}`);
  }
  const submission = parseWithZod(formData, { schema: decideOwnActivitySchema });
  const result = await decideOwnActivity(ctx, submission);
  if (!result.ok) {
    const { reply, status } = refusalReply(submission, result);
    return json({ activityId: Number(formData.get("activityId")), reply }, { status });
  }
  params.set("beslut", result.value === "approve" ? "godkand" : "avslagen");
  return redirect(`/tidrapporter?${params.toString()}`);
}

export default function TimeReports() {
  const { reports, pending, flaggedCount, employers, month, status, thisMonth, listQuery } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const activityReply = actionData && "activityId" in actionData ? actionData : undefined;
  const employerReply = actionData && "employerReply" in actionData ? actionData : undefined;
  const bulkReply = actionData && "bulkReply" in actionData ? actionData.bulkReply : undefined;
  const confirmed = reports.filter((r) => r.status === "confirmed");

  const [searchParams] = useSearchParams();
  const decision = searchParams.get("beslut");
  const certifiedNow = Number(searchParams.get("attesterade") ?? 0);
  const months = Array.from({ length: 18 }, (_, i) => addMonthsToMonth(thisMonth, -i));
  const toConfirm = reports.filter((r) => r.status === "confirmed").length;

  return (
    <div className="page">
      <h1>Tidrapporter</h1>
      <p className="lead">
        Tidredovisningen för kommunens deltagare, månad för månad. Deltagaren bekräftar sina timmar; du registrerar den närmaste chefens attest, eller attesterar på chefens vägnar där programmet tillåter det.
      </p>
      {flaggedCount ? (
        <div className="alert alert--warning">
          <p>
            {flaggedCount === 1
              ? "1 attesterad tidrapport behöver granskas igen eftersom en tidigare månad har öppnats. Den är märkt ”Granska” i listan för sin månad."
              : `${flaggedCount} attesterade tidrapporter behöver granskas igen eftersom en tidigare månad har öppnats. De är märkta ”Granska” i listan för sin månad.`}
          </p>
        </div>
      ) : null}

      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="manad">Månad</label>
          <select id="manad" name="manad" defaultValue={month}>
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(`${m}-15`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={status}>
            <option value="">Alla</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {timeReportStatusLabels[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="report-search">Sök deltagare</label>
          <input id="report-search" type="search" name="q" defaultValue={listQuery.q ?? ""} maxLength={100} />
        </div>
        <input type="hidden" name="sortera" value={listQuery.sortera} />
        <input type="hidden" name="ordning" value={listQuery.ordning} />
        <button type="submit" className="button button--secondary">
          Visa
        </button>
      </Form>

      <h2 id="reports-heading">{capitalise(formatMonth(`${month}-15`))}</h2>
      <p>{toConfirm === 0
          ? "Inga tidrapporter väntar på attestering."
          : toConfirm === 1
            ? "1 tidrapport är bekräftad och väntar på din attestering."
            : `${toConfirm} tidrapporter är bekräftade och väntar på din attestering.`}</p>
      {certifiedNow ? (
        <div role="status" className="alert alert--success">
          {certifiedNow === 1 ? "1 tidrapport är attesterad och låst." : `${certifiedNow} tidrapporter är attesterade och låsta.`}
        </div>
      ) : null}
      {confirmed.length > 1 ? (
        <CertifyMonthForm month={month} reports={confirmed} lastResult={bulkReply} />
      ) : bulkReply ? (
        /* A refusal that arrives when the form is gone (the month was certified in another tab meanwhile) still says why. */
        <FormErrors id="certify-month-refusal" errors={replyMessages(bulkReply)} />
      ) : null}
      {reports.length === 0 ? (
        <p className="empty">{listQuery.q ? `Ingen tidrapport den här månaden matchar ”${listQuery.q}”.` : "Inga tidrapporter för den här månaden."}</p>
      ) : (
        <TableWrap label="Tidrapporter">
          <table aria-labelledby="reports-heading">
            <thead>
              <tr>
                <SortHeader sort={listQuery} column="namn" label="Deltagare" />
                <SortHeader sort={listQuery} column="program" label="Program" />
                <SortHeader sort={listQuery} column="tid" label="Tid (tim)" className="num" />
                <SortHeader sort={listQuery} column="status" label="Status" />
                <th scope="col">Åtgärd</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/deltagare/${r.participantId}`}>{r.participantName}</Link>
                  </th>
                  <td>{r.programmeName}</td>
                  <td className="num">{formatHours(r.minutes)}</td>
                  <td>
                    {timeReportStatusLabels[r.status]}
                    {r.needsReview ? (
                      <>
                        {" "}
                        <span className="badge badge--warning">Granska</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    <Link to={`/tidrapporter/${r.id}`} aria-label={`${r.status === "confirmed" ? "Attestera" : "Visa"} tidrapporten för ${r.participantName}`}>
                      {r.status === "confirmed" ? "Attestera" : "Visa"}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}

      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">Egna aktiviteter att besluta om</h2>
        {decision ? (
          <div className="alert alert--success" role="status">
            <p>{decision === "godkand" ? "Aktiviteten är godkänd och räknas nu i tidrapporten." : "Aktiviteten är avslagen."}</p>
          </div>
        ) : null}
        {/* A refusal for an activity no longer in the list (decided in another tab) is shown here. */}
        {activityReply && !pending.some((a) => a.id === activityReply.activityId) ? (
          <FormErrors id="activity-errors" errors={replyMessages(activityReply.reply)} />
        ) : null}
        {pending.length === 0 ? (
          <p className="empty">Inga aktiviteter väntar på beslut.</p>
        ) : (
          <ul className="plain-list">
            {pending.map((a) => (
              <li key={a.id}>
                <DecisionForm activity={a} lastResult={activityReply && activityReply.activityId === a.id ? activityReply.reply : undefined} />
              </li>
            ))}
          </ul>
        )}
      </section>

      {employers.length ? (
        <section aria-labelledby="employer-heading">
          <h2 id="employer-heading">Arbetsgivare på intyget</h2>
          <p>Kommunen står som deltagarnas arbetsgivare på det månadsintyg som ESF-finansiären får, med sitt organisationsnummer.</p>
          {searchParams.get("arbetsgivare") === "sparad" ? (
            <div className="alert alert--success" role="status">
              <p>Organisationsnumret är sparat.</p>
            </div>
          ) : null}
          {/* A refusal for a municipality without a form here (a crafted post) is shown here. */}
          {employerReply && !employers.some((e) => e.municipalityId === employerReply.municipalityId) ? (
            <FormErrors id="employer-errors" errors={replyMessages(employerReply.employerReply)} />
          ) : null}
          {employers.map((e) => (
            <EmployerForm
              key={`${e.municipalityId}-${e.orgNumber ?? ""}`}
              employer={e}
              lastResult={employerReply && employerReply.municipalityId === e.municipalityId ? employerReply.employerReply : undefined}
            />
          ))}
        </section>
      ) : null}
    </div>
  );
}

function EmployerForm({ employer, lastResult }: { employer: Employer; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `employer-${employer.municipalityId}`,
    lastResult,
    defaultValue: { orgNumber: employer.orgNumber ?? "" },
    // Not on blur: an error vanishing as the button takes focus would move the button from under the click.
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: employerSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["orgNumber"])} />
      <input type="hidden" name="intent" value="employer" />
      <input type="hidden" name="municipalityId" value={employer.municipalityId} />
      <TextField field={fields.orgNumber} label={`Organisationsnummer för ${employer.name} kommun`} hint="NNNNNN-NNNN" />
      <div className="actions">
        <SubmitButton className="button button--secondary" busy={navigation.state === "submitting"}>
          Spara organisationsnummer
        </SubmitButton>
      </div>
    </Form>
  );
}

function DecisionForm({ activity, lastResult }: { activity: OwnActivityRow; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `activity-${activity.id}`,
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: decideOwnActivitySchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form">
      <p id={`activity-${activity.id}-summary`}>
        <strong>{activity.participantName}</strong>, {formatDate(activity.activityOn)}: {ownActivityKindLabels[activity.kind]},{" "}
        {formatHours(activity.minutes)} tim.
        <br />
        {activity.description} <span className="muted">({activity.programmeName})</span>
      </p>
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["reason"])} />
      <input type="hidden" name="activityId" value={activity.id} />
      <TextField field={fields.reason} label="Motivering (krävs vid avslag)" />
      <div className="actions">
        <SubmitButton name="decision" value="approve" className="button" aria-describedby={`activity-${activity.id}-summary`} busy={navigation.state === "submitting"}>
          Godkänn
        </SubmitButton>
        <SubmitButton name="decision" value="reject" className="button button--secondary" aria-describedby={`activity-${activity.id}-summary`} busy={navigation.state === "submitting"}>
          Avslå
        </SubmitButton>
      </div>
    </Form>
  );
}

function CertifyMonthForm({
  month,
  reports,
  lastResult,
}: {
  month: string;
  reports: { id: number; version: number }[];
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form] = useForm({ lastResult, shouldValidate: "onSubmit" });
  const errors = unshownErrors(form);
  return (
    <Form method="post" className="panel" aria-labelledby="certify-month-heading" {...getFormProps(form)} key={reports.map((r) => `${r.id}:${r.version}`).join(",")}>
      <h3 id="certify-month-heading">Attestera alla bekräftade i {formatMonth(`${month}-15`)}</h3>
      <input type="hidden" name="intent" value="certify-month" />
      {reports.map((r, i) => (
        <span key={r.id}>
          <input type="hidden" name={`reports[${i}].id`} value={r.id} />
          <input type="hidden" name={`reports[${i}].version`} value={r.version} />
        </span>
      ))}
      <fieldset className="field">
        <legend>Hur har de attesterats?</legend>
        <label>
          <input type="radio" name="certifiedAs" value="manager" defaultChecked /> Varje deltagares närmaste chef har attesterat (chefen som står på deltagaren)
        </label>
        <label>
          <input type="radio" name="certifiedAs" value="on_behalf" /> Jag attesterar på chefernas vägnar (om programmet tillåter det)
        </label>
      </fieldset>
      <FormErrors id={form.errorId} errors={errors} />
      <p className="muted">Alla {reports.length} attesteras och låses, eller ingen om någon av dem har ändrats under tiden.</p>
      <SubmitButton className="button" busy={navigation.state === "submitting"}>
        Attestera alla {reports.length}
      </SubmitButton>
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
