import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextField, unshownErrors } from "~/components/form";
import { assertCanTakeAttendance, getAttendanceSheet, saveAttendance, STALE_ATTENDANCE } from "~/domain/attendance.server";
import { ATTENDANCE_STATUSES, attendanceSchema } from "~/schemas/attendance";
import { attendanceStatusLabels } from "~/ui/labels";
import { formatDateTime, formatTimeRange, formatWeekdayDate } from "~/utils/format";
import { formatHours } from "~/utils/hours";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";
import { refusalReply } from "~/utils/action-result.server";
import { useEffect, useState, type MouseEvent } from "react";

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
  // The version of the sheet the form showed: a reply to an older version is not put back into a newer form.
  const sheet = submittedSheetVersion(submission.payload);
  if (submission.status !== "success") return json({ sheet, reply: submission.reply() }, { status: 400 });
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
  if (!result.ok) {
    const { reply, status } = refusalReply(submission, result.message === STALE_ATTENDANCE ? { ...result, message: STALE_MESSAGE } : result);
    return json({ sheet, reply }, { status });
  }
  const saved = result.value.recorded + result.value.corrected;
  return redirect(`/trafar/${sessionId}/narvaro?sparat=${saved}${intent === "all_present" ? "&alla=1" : ""}`);
}

const STALE_MESSAGE =
  "Någon annan har ändrat närvaron medan du hade sidan öppen, så inget sparades. Sidan visar nu det som är sparat: gör om dina ändringar och spara igen.";

/**
 * The stored state the form shows: which participants, at which versions. The
 * form is keyed by it, so after every save (ours or someone else's) it is
 * rebuilt from what is stored instead of keeping the inputs of its first render.
 */
function sheetVersion(rows: { participantId: unknown; version: unknown }[]): string {
  return rows.map((r) => `${r.participantId}:${r.version}`).join(",");
}

/** The same, from the rows the form sent (each row posts its participant and the version it showed). */
function submittedSheetVersion(payload: Record<string, unknown>): string {
  const rows = Array.isArray(payload.rows) ? (payload.rows as ({ participantId?: unknown; version?: unknown } | undefined)[]) : [];
  return sheetVersion(rows.map((r) => ({ participantId: r?.participantId, version: r?.version })));
}

function savedMessage(saved: string | null, allPresent: boolean): string | null {
  if (saved === null) return null;
  if (saved === "0") return "Inget var ändrat, så inget sparades.";
  return allPresent
    ? `Närvaron är sparad för ${saved} deltagare. Alla som saknade närvaro sparades som närvarande.`
    : `Närvaron är sparad för ${saved} deltagare.`;
}

type Sheet = SerializeFrom<typeof loader>;

export default function TakeAttendance() {
  const sheet = useLoaderData<typeof loader>();
  const { session, sessionMinutes, defaultMinutes, closedReason, ownMunicipalityOnly, rows, corrections } = sheet;
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const version = sheetVersion(rows);
  const ownReply = actionData?.sheet === version ? actionData.reply : undefined;
  // A refused save says so; the message of the save before it would contradict it.
  const flash = actionData ? null : savedMessage(searchParams.get("sparat"), searchParams.has("alla"));

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

      {closedReason ? (
        <div className="alert alert--info">
          <p>{closedReason}</p>
        </div>
      ) : null}
      {/* The refusal of a save made from an older version of the sheet: the form below already shows the newer one. */}
      {actionData && !ownReply ? <FormErrors id="attendance-refused" errors={replyMessages(actionData.reply)} /> : null}
      {rows.length === 0 ? (
        <p className="empty">Det finns inga aktiva deltagare i omgången.</p>
      ) : (
        <AttendanceForm key={version} sheet={sheet} lastResult={ownReply} flash={flash} />
      )}

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

/** Set after hydration: what a button does can depend on whether this page's JavaScript runs. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function AttendanceForm({
  sheet,
  lastResult,
  flash,
}: {
  sheet: Sheet;
  lastResult?: SubmissionResult<string[]>;
  flash: string | null;
}) {
  const { sessionMinutes, defaultMinutes, closedReason, rows } = sheet;
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: {
      rows: rows.map((r) => ({
        participantId: String(r.participantId),
        version: String(r.version),
        status: r.status ?? "",
        // An absence is stored with 0 hours; an empty field lets the lead mark the person present without retyping the hours.
        hours: r.minutes === 0 ? "" : String((r.minutes ?? defaultMinutes) / 60),
      })),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendanceSchema }),
  });
  const rowFields = fields.rows.getFieldList();
  // The statuses are held here so that "Alla närvarande" can fill them in; the form starts from what is stored (or what a refused save sent).
  const [statuses, setStatuses] = useState(() => rowFields.map((f) => String(f.getFieldset().status.initialValue ?? "")));
  const [filled, setFilled] = useState<number | null>(null);
  const unmarked = rows.filter((r) => !r.status).length;
  const open = (index: number) => !closedReason && !rows[index].locked;
  const toFill = statuses.filter((s, index) => !s && open(index)).length;
  // Also while the sheet is read again after a save: a second press would send the versions of the sheet being replaced.
  const busy = navigation.state !== "idle";
  const formProps = getFormProps(form);

  const setStatus = (index: number, status: string) => {
    setStatuses((current) => current.map((s, i) => (i === index ? status : s)));
  };
  const fillPresent = (event: MouseEvent<HTMLButtonElement>) => {
    // Without JavaScript the button posts and saves; with it, it only fills in, and the lead saves with "Spara närvaro".
    event.preventDefault();
    setStatuses((current) => current.map((s, i) => (!s && open(i) ? "narvarande" : s)));
    setFilled(toFill);
  };

  return (
    <Form
      method="post"
      {...formProps}
      onSubmit={(event) => {
        setFilled(null);
        formProps.onSubmit(event);
      }}
    >
      <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name === "reason" || /^rows\[\d+\]\.(status|hours)$/.test(name))} />
      <p>
        <strong>{rows.length - unmarked}</strong> av {rows.length} deltagare har registrerad närvaro
        {unmarked ? `, ${unmarked} saknar.` : "."}
      </p>
      <ul className="roster">
        {rowFields.map((rowField, index) => {
          const row = rows[index];
          const f = rowField.getFieldset();
          const disabled = !open(index);
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
                  {ATTENDANCE_STATUSES.map((status) => (
                    <label key={status} className="status-option">
                      <input
                        type="radio"
                        id={`${f.status.id}-${status}`}
                        name={f.status.name}
                        value={status}
                        checked={statuses[index] === status}
                        onChange={() => setStatus(index, status)}
                        aria-invalid={f.status.errors?.length ? true : undefined}
                      />
                      {attendanceStatusLabels[status]}
                    </label>
                  ))}
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
            {/* Beside the buttons, so that on a phone the answer to a press is where the press was. */}
            <div role="status">
              {filled ? (
                <div className="alert alert--info">
                  <p>
                    {filled === 1 ? "1 deltagare är ifylld" : `${filled} deltagare är ifyllda`} som närvarande men inte sparade. Ändra dem som inte
                    var där och tryck på Spara närvaro.
                  </p>
                </div>
              ) : flash ? (
                <div className="alert alert--success">
                  <p>{flash}</p>
                </div>
              ) : null}
            </div>
            <div className="sticky-actions__buttons">
              <button type="submit" name="intent" value="save" className="button" disabled={busy}>
                Spara närvaro
              </button>
              {toFill ? (
                <button
                  type="submit"
                  name="intent"
                  value="all_present"
                  className="button button--secondary"
                  disabled={busy}
                  onClick={hydrated ? fillPresent : undefined}
                >
                  {hydrated ? `Alla närvarande (fyll i ${toFill} kvar)` : "Alla närvarande (sparar alla omarkerade som närvarande)"}
                </button>
              ) : null}
            </div>
          </div>
        </>
      ) : null}
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
