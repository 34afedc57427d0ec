import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, SelectField, TextAreaField, TextField, unshownErrors, useEntryFormKey } from "~/components/form";
import { recordOwnActivity } from "~/domain/own-activities.server";
import { getMyTime } from "~/domain/timereports.server";
import { OWN_ACTIVITY_KINDS, ownActivitySchema } from "~/schemas/timereports";
import { ownActivityKindLabels, ownActivityStatusLabels, timeReportStatusLabels } from "~/ui/labels";
import { formatDate, formatMonth, stockholmToday } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Min tid – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { ...(await getMyTime(ctx)), today: stockholmToday() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: ownActivitySchema });
  const result = await recordOwnActivity(ctx, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect("/tid?registrerad=1");
}

const statusBadge: Record<string, string> = {
  draft: "badge badge--warning",
  reopened: "badge badge--warning",
  confirmed: "badge",
  certified: "badge badge--success",
  pending: "badge badge--warning",
  approved: "badge badge--success",
  rejected: "badge badge--danger",
};

export default function MyTime() {
  const { reports, activities, programmes, today } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const entryKey = useEntryFormKey();
  const currentMonth = today.slice(0, 7);

  return (
    <div className="page">
      <h1>Min tid</h1>
      <p className="lead">Dina timmar i programmet, månad för månad. Bekräfta varje månad när den är slut; sedan attesterar din samordnare den.</p>

      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">Tidrapporter</h2>
        {reports.length === 0 ? (
          <p className="empty">Du har inga registrerade timmar ännu.</p>
        ) : (
          <TableWrap label="Dina tidrapporter per månad">
            <table>
              <caption className="visually-hidden">Dina tidrapporter per månad</caption>
              <thead>
                <tr>
                  <th scope="col">Månad</th>
                  <th scope="col">Program</th>
                  <th scope="col" className="num">
                    Timmar
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/tidrapporter/${r.id}`}>{formatMonth(`${r.month}-15`)}</Link>
                    </th>
                    <td>{r.programmeName}</td>
                    <td className="num">{formatHours(r.minutes)}</td>
                    <td>
                      <span className={statusBadge[r.status]}>{timeReportStatusLabels[r.status]}</span>
                      {(r.status === "draft" || r.status === "reopened") && r.month < currentMonth ? (
                        <>
                          {" "}
                          <Link to={`/tidrapporter/${r.id}`}>Granska och bekräfta</Link>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading">Registrera egen aktivitet</h2>
        <p>Tid utanför träffarna som hör till programmet: skuggning, egen studietid eller hemuppgifter. Din samordnare godkänner den innan den räknas.</p>
        {searchParams.has("registrerad") && !lastResult ? (
          <div className="alert alert--success" role="status">
            <p>Aktiviteten är registrerad och väntar på beslut från din samordnare.</p>
          </div>
        ) : null}
        <OwnActivityForm key={entryKey} programmes={programmes} today={today} lastResult={lastResult} />
      </section>

      <section aria-labelledby="activities-heading">
        <h2 id="activities-heading">Mina egna aktiviteter</h2>
        {activities.length === 0 ? (
          <p className="empty">Du har inte registrerat några egna aktiviteter.</p>
        ) : (
          <TableWrap label="Dina egna aktiviteter, senaste först">
            <table>
              <caption className="visually-hidden">Dina egna aktiviteter, senaste först</caption>
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Aktivitet</th>
                  <th scope="col" className="num">
                    Timmar
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {activities.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{formatDate(a.activityOn)}</th>
                    <td>
                      {ownActivityKindLabels[a.kind]}: {a.description}
                    </td>
                    <td className="num">{formatHours(a.minutes)}</td>
                    <td>
                      <span className={statusBadge[a.status]}>{ownActivityStatusLabels[a.status]}</span>
                      {a.reason ? <p className="muted">Motivering: {a.reason}</p> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>
    </div>
  );
}

function OwnActivityForm({
  programmes,
  today,
  lastResult,
}: {
  programmes: { id: number; name: string }[];
  today: string;
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { programmeId: programmes.length === 1 ? String(programmes[0].id) : "", date: today },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ownActivitySchema }),
  });
  return programmes.length === 0 ? (
    <>
      <FormErrors id={form.errorId} errors={unshownErrors(form)} />
      <p className="empty">Du är inte aktiv i något program just nu.</p>
    </>
  ) : (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors id={form.errorId} errors={unshownErrors(form, [...(programmes.length === 1 ? [] : ["programmeId"]), "kind", "date", "hours", "description"])} />
      {programmes.length === 1 ? (
        <HiddenProgramme field={fields.programmeId} />
      ) : (
        <SelectField field={fields.programmeId} label="Program" options={programmes.map((p) => ({ value: String(p.id), label: p.name }))} placeholder="Välj program" />
      )}
      <div className="form-row">
        <SelectField field={fields.kind} label="Typ av aktivitet" options={OWN_ACTIVITY_KINDS.map((k) => ({ value: k, label: ownActivityKindLabels[k] }))} placeholder="Välj typ" />
        <TextField field={fields.date} label="Datum" type="date" />
        <TextField field={fields.hours} label="Timmar" inputMode="decimal" hint="I hela kvartar, till exempel 1,5." />
      </div>
      <TextAreaField field={fields.description} label="Vad gjorde du?" />
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Registrera aktiviteten
        </SubmitButton>
      </div>
    </Form>
  );
}

function HiddenProgramme({ field }: { field: Parameters<typeof getInputProps>[0] }) {
  const { key, ...props } = getInputProps(field, { type: "hidden" });
  return <input key={key} {...props} />;
}

export const ErrorBoundary = RouteErrorBoundary;
