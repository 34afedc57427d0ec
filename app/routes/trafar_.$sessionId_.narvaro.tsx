import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, TextField, unshownErrors } from "~/components/form";
import { assertCanTakeAttendance, getAttendanceSheet, saveAttendance } from "~/domain/attendance.server";
import { ATTENDANCE_STATUSES, attendanceSchema } from "~/schemas/attendance";
import { attendanceStatusLabels } from "~/ui/labels";
import { formatDateTime, formatTimeRange, formatWeekdayDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Närvaro: ${data.session.title} – Programportalen` : "Närvaro – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return getAttendanceSheet(ctx, idParam(params.sessionId));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  await assertCanTakeAttendance(ctx, sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: attendanceSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { rows, intent, reason } = submission.value;
  const result = await saveAttendance(ctx, sessionId, {
    rows: rows.map((r) => ({
      participantId: r.participantId,
      version: r.version,
      status: r.status,
      minutes: r.hours == null ? undefined : Math.round(r.hours * 60),
    })),
    markRestPresent: intent === "all_present",
    reason,
  });
  if (!result.ok) return json(submission.reply({ formErrors: [result.message] }), { status: result.status });
  return redirect(`/trafar/${sessionId}/narvaro?sparat=${result.recorded + result.corrected}`);
}

export default function TakeAttendance() {
  const { session, sessionMinutes, defaultMinutes, closedReason, ownMunicipalityOnly, rows, corrections } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const saved = searchParams.get("sparat");
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: {
      rows: rows.map((r) => ({
        participantId: String(r.participantId),
        version: String(r.version),
        status: r.status ?? "",
        hours: String((r.minutes ?? defaultMinutes) / 60),
      })),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendanceSchema }),
  });
  const rowFields = fields.rows.getFieldList();
  const unmarked = rows.filter((r) => !r.status).length;
  const busy = navigation.state === "submitting";

  return (
    <div className="page">
      <nav aria-label="Brödsmulor" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/trafar/${session.id}`}>{session.title}</Link>
          </li>
          <li>
            <Link to={`/omgangar/${session.cohortId}/narvarorapport`}>Närvarorapport {session.cohortName}</Link>
          </li>
        </ol>
      </nav>
      <h1>Närvaro: {session.title}</h1>
      <p className="lead">
        {formatWeekdayDate(session.startsAt)}, {formatTimeRange(session.startsAt, session.endsAt)} · {session.hostMunicipality}
        <br />
        {session.programmeName}, {session.cohortName}
      </p>
      <p>
        Träffen varar {formatHours(sessionMinutes)} timmar. Närvarande får {formatHours(defaultMinutes)} timmar om du inte ändrar;
        ändra timmarna i hela kvartar vid sen ankomst eller tidig hemgång.
      </p>
      {ownMunicipalityOnly ? <p>Du ser och registrerar närvaro för deltagarna från din kommun. Programledaren registrerar de övrigas.</p> : null}

      {saved ? (
        <div className="alert alert--success" role="status">
          <p>{saved === "0" ? "Inget var ändrat, så inget sparades." : `Närvaron är sparad för ${saved} deltagare.`}</p>
        </div>
      ) : null}
      {closedReason ? (
        <div className="alert alert--info">
          <p>{closedReason}</p>
        </div>
      ) : null}
      {rows.length === 0 ? <p className="empty">Det finns inga aktiva deltagare i omgången.</p> : null}

      {rows.length ? (
        <Form method="post" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name === "reason" || /^rows\[\d+\]\.(status|hours)$/.test(name))} />
          <p>
            <strong>{rows.length - unmarked}</strong> av {rows.length} deltagare har registrerad närvaro
            {unmarked ? `, ${unmarked} saknar.` : "."}
          </p>
          <ul className="roster">
            {rowFields.map((rowField, index) => {
              const row = rows[index];
              const f = rowField.getFieldset();
              const disabled = !!closedReason || row.locked;
              const legendId = `${rowField.id}-legend`;
              const { key: hoursKey, ...hoursProps } = getInputProps(f.hours, { type: "number", ariaAttributes: true });
              const { key: idKey, ...idProps } = getInputProps(f.participantId, { type: "hidden" });
              const { key: versionKey, ...versionProps } = getInputProps(f.version, { type: "hidden" });
              return (
                <li key={row.participantId} className={row.status ? "roster-row" : "roster-row roster-row--unmarked"}>
                  <input key={idKey} {...idProps} />
                  <input key={versionKey} {...versionProps} />
                  <fieldset disabled={disabled} aria-describedby={f.status.errors?.length ? f.status.errorId : undefined}>
                    <legend id={legendId}>
                      {row.name} <span className="muted">({row.municipalityName})</span>{" "}
                      {row.status ? null : <span className="badge badge--warning">Ej registrerad</span>}
                      {row.locked ? <span className="badge">Attesterad månad – låst</span> : null}
                    </legend>
                    <div className="status-options" role="radiogroup" aria-labelledby={legendId}>
                      {ATTENDANCE_STATUSES.map((status) => {
                        const { key, ...radio } = getInputProps(f.status, { type: "radio", value: status });
                        return (
                          <label key={status} className="status-option">
                            <input key={key} {...radio} />
                            {attendanceStatusLabels[status]}
                          </label>
                        );
                      })}
                    </div>
                    <div className="field hours-field">
                      <label htmlFor={f.hours.id}>
                        Timmar<span className="visually-hidden"> för {row.name}</span>
                      </label>
                      <input
                        key={hoursKey}
                        {...hoursProps}
                        step="0.25"
                        min="0"
                        max={String(sessionMinutes / 60)}
                        inputMode="decimal"
                        aria-describedby={f.hours.errors?.length ? f.hours.errorId : undefined}
                      />
                      <div id={f.hours.errorId}>
                        {f.hours.errors?.map((e) => (
                          <p key={e} className="field-error">
                            {e}
                          </p>
                        ))}
                      </div>
                    </div>
                    <div id={f.status.errorId}>
                      {f.status.errors?.map((e) => (
                        <p key={e} className="field-error">
                          {e}
                        </p>
                      ))}
                    </div>
                  </fieldset>
                </li>
              );
            })}
          </ul>
          {!closedReason ? (
            <>
              <TextField field={fields.reason} label="Anledning till ändring (när du rättar tidigare registrerad närvaro)" />
              <div className="sticky-actions">
                <button type="submit" name="intent" value="save" className="button" disabled={busy}>
                  Spara närvaro
                </button>
                {unmarked ? (
                  <button type="submit" name="intent" value="all_present" className="button button--secondary" disabled={busy}>
                    Alla närvarande ({unmarked} kvar markeras)
                  </button>
                ) : null}
              </div>
            </>
          ) : null}
        </Form>
      ) : null}

      {corrections.length ? (
        <section aria-labelledby="corrections">
          <h2 id="corrections">Rättelser</h2>
          <TableWrap label="Rättelser av närvaron, senaste först">
            <table>
              <caption className="visually-hidden">Rättelser av närvaron, senaste först</caption>
              <thead>
                <tr>
                  <th scope="col">Deltagare</th>
                  <th scope="col">Från</th>
                  <th scope="col">Till</th>
                  <th scope="col">Anledning</th>
                  <th scope="col">Ändrad av</th>
                </tr>
              </thead>
              <tbody>
                {corrections.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.participantName}</th>
                    <td>
                      {attendanceStatusLabels[c.fromStatus]}, {formatHours(c.fromMinutes)} h
                    </td>
                    <td>
                      {attendanceStatusLabels[c.toStatus]}, {formatHours(c.toMinutes)} h
                    </td>
                    <td>{c.reason ?? "–"}</td>
                    <td>
                      {c.changedBy ?? "–"}, {formatDateTime(c.changedAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </section>
      ) : null}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
