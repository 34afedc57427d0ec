import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextField, unshownErrors } from "~/components/form";
import { getAttendanceSheet, saveAttendanceForm, STALE_ATTENDANCE } from "~/domain/attendance.server";
import { ATTENDANCE_STATUSES, attendanceSchema, hoursFieldValue, PRESENT_STATUSES } from "~/schemas/attendance";
import { matchesNameFilter } from "~/ui/attendance";
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
  const sheet = await getAttendanceSheet(ctx, idParam(params.sessionId));
  // Filtered here, not only in the browser, so that the form without JavaScript posts (and "Alla närvarande" fills in) only the rows shown.
  const filter = nameFilterOf(request);
  return {
    ...sheet,
    filter,
    rosterSize: sheet.rows.length,
    rosterUnmarked: sheet.rows.filter((r) => !r.status).length,
    rows: filter ? sheet.rows.filter((r) => matchesNameFilter(r, filter)) : sheet.rows,
  };
}

function nameFilterOf(request: Request): string {
  return (new URL(request.url).searchParams.get("namn") ?? "").trim().slice(0, 100);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const sessionId = idParam(params.sessionId);
  const submission = parseWithZod(await readFormData(request), { schema: attendanceSchema });
  // The version of the sheet the form showed: a reply to an older version is not put back into a newer form.
  const sheet = submittedSheetVersion(submission.payload);
  // One domain function: it checks the caller may take attendance here before it reads the input.
  const result = await saveAttendanceForm(ctx, sessionId, submission);
  if (!result.ok) {
    const { reply, status } = refusalReply(submission, result.message === STALE_ATTENDANCE ? { ...result, message: STALE_MESSAGE } : result);
    return json({ sheet, reply }, { status });
  }
  const intent = submission.status === "success" ? submission.value.intent : "save";
  const saved = result.value.recorded + result.value.corrected;
  const filter = nameFilterOf(request);
  return redirect(`/trafar/${sessionId}/narvaro?sparat=${saved}${intent === "all_present" ? "&alla=1" : ""}${filter ? `&namn=${encodeURIComponent(filter)}` : ""}`);
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
  const { session, sessionMinutes, defaultMinutes, closedReason, ownMunicipalityOnly, rows, corrections, rosterSize, rosterUnmarked } = sheet;
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const version = sheetVersion(rows);
  const ownReply = actionData?.sheet === version ? actionData.reply : undefined;
  // A refused save says so; the message of the save before it would contradict it.
  const flash = actionData ? null : savedMessage(searchParams.get("sparat"), searchParams.has("alla"));

  return (
    <div className="page attendance-page">
      <nav aria-label="Du är här" className="breadcrumbs">
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
        {formatWeekdayDate(session.startsAt)}, {formatTimeRange(session.startsAt, session.endsAt)} · {session.hostMunicipality} · {session.cohortName}
      </p>
      <p>
        Närvarande får {formatHours(defaultMinutes)} tim (hela träffen{sessionMinutes !== defaultMinutes ? ` är ${formatHours(sessionMinutes)} tim` : ""}). Vid sen ankomst
        eller tidig hemgång: tryck på Timmar och ange hela kvartar.
      </p>
      {ownMunicipalityOnly ? <p>Du ser och registrerar närvaro för deltagarna från din kommun. Programledaren registrerar de övrigas.</p> : null}
      <p>
        <strong>{rosterSize - rosterUnmarked}</strong> av {rosterSize} deltagare har registrerad närvaro
        {rosterUnmarked ? `, ${rosterUnmarked} saknar.` : "."}
      </p>

      {closedReason ? (
        <div className="alert alert--info">
          <p>{closedReason}</p>
        </div>
      ) : null}
      {/* The refusal of a save made from an older version of the sheet: the form below already shows the newer one. */}
      {actionData && !ownReply ? <FormErrors id="attendance-refused" errors={replyMessages(actionData.reply)} /> : null}
      {rosterSize === 0 ? (
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
                      {attendanceStatusLabels[c.fromStatus]}, {formatHours(c.fromMinutes)} tim
                    </td>
                    <td>
                      {attendanceStatusLabels[c.toStatus]}, {formatHours(c.toMinutes)} tim
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

/**
 * The name filter: a GET form the server answers with only the matching rows;
 * with JavaScript the rows already loaded are hidden while typing instead, so
 * unsaved marks are kept.
 */
function NameFilter({ filter, hydrated, value, onChange }: { filter: string; hydrated: boolean; value: string; onChange: (value: string) => void }) {
  return (
    <Form method="get" role="search" aria-label="Deltagare" className="attendance-filter" onSubmit={hydrated ? (event) => event.preventDefault() : undefined}>
      <label htmlFor="namn">Sök deltagare</label>
      <div className="attendance-filter__controls">
        <input id="namn" name="namn" type="search" autoComplete="off" value={value} onChange={(event) => onChange(event.target.value)} />
        {hydrated ? null : (
          <button type="submit" className="button button--secondary">
            Sök
          </button>
        )}
      </div>
      {filter ? (
        <p>
          Visar deltagare som matchar ”{filter}”. <Link to=".">Visa alla</Link>
        </p>
      ) : null}
    </Form>
  );
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
  const { sessionMinutes, defaultMinutes, closedReason, rows, filter } = sheet;
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const defaultHours = hoursFieldValue(defaultMinutes / 60);
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
        hours: r.minutes === 0 ? "" : hoursFieldValue((r.minutes ?? defaultMinutes) / 60),
      })),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: attendanceSchema }),
  });
  const rowFields = fields.rows.getFieldList();
  // The statuses are held here so that "Alla närvarande" can fill them in; the form starts from what is stored (or what a refused save sent).
  const [statuses, setStatuses] = useState(() => rowFields.map((f) => String(f.getFieldset().status.initialValue ?? "")));
  const [typed, setTyped] = useState(filter);
  const [filled, setFilled] = useState<number | null>(null);
  const open = (index: number) => !closedReason && !rows[index].locked;
  const shown = rows.map((r) => !hydrated || matchesNameFilter(r, typed.trim()));
  const toFill = statuses.filter((s, index) => !s && open(index) && shown[index]).length;
  // Also while the sheet is read again after a save: a second press would send the versions of the sheet being replaced.
  const busy = navigation.state !== "idle";
  const formProps = getFormProps(form);
  const anyRecorded = rows.some((r) => r.status);

  const setStatus = (index: number, status: string) => {
    setStatuses((current) => current.map((s, i) => (i === index ? status : s)));
  };
  const fillPresent = (event: MouseEvent<HTMLButtonElement>) => {
    // Without JavaScript the button posts and saves; with it, it only fills in (the rows shown), and the lead saves with "Spara närvaro".
    event.preventDefault();
    setStatuses((current) => current.map((s, i) => (!s && open(i) && shown[i] ? "narvarande" : s)));
    setFilled(toFill);
  };

  return (
    <>
      <NameFilter filter={filter} hydrated={hydrated} value={typed} onChange={setTyped} />
      {shown.some(Boolean) ? null : <p className="empty">Ingen deltagare matchar ”{typed.trim()}”.</p>}
      <Form
        method="post"
        {...formProps}
        onSubmit={(event) => {
          setFilled(null);
          formProps.onSubmit(event);
        }}
      >
        <FormErrors id={form.errorId} errors={unshownErrors(form, (name) => name === "reason" || /^rows\[\d+\]\.(status|hours)$/.test(name))} />
        <ul className="attendance-rows">
          {rowFields.map((rowField, index) => {
            const row = rows[index];
            const f = rowField.getFieldset();
            const disabled = !open(index);
            const status = statuses[index];
            const { key: hoursKey, ...hoursProps } = getInputProps(f.hours, { type: "text", ariaAttributes: true });
            const { key: idKey, ...idProps } = getInputProps(f.participantId, { type: "hidden" });
            const { key: versionKey, ...versionProps } = getInputProps(f.version, { type: "hidden" });
            const hoursValue = String(f.hours.initialValue ?? "");
            // In this order for the keyboard (status, then hours); the grid puts the hours beside the name.
            // Hours are asked for only when they are not the default: a stored other value, an error, or a late arrival being marked.
            const hoursOpen = Boolean(f.hours.errors?.length) || (hoursValue !== "" && hoursValue !== defaultHours) || (status === "sen_ankomst" && row.status !== "sen_ankomst");
            return (
              <li key={row.participantId} className={status ? "attendance-row" : "attendance-row attendance-row--unmarked"} hidden={!shown[index]}>
                <input key={idKey} {...idProps} />
                <input key={versionKey} {...versionProps} />
                <div className="attendance-row__name">
                  {/* Read out by the group's legend; shown apart from it so that the hours can sit on the same line. */}
                  <span aria-hidden="true">
                    {row.name} <span className="muted">{row.municipalityName}</span>
                  </span>
                  {row.locked ? <span className="badge">Attesterad månad – låst</span> : null}
                </div>
                <fieldset disabled={disabled} aria-describedby={f.status.errors?.length ? f.status.errorId : undefined}>
                  <legend className="visually-hidden">
                    {row.name}, {row.municipalityName}
                    {row.status ? null : " (ej registrerad)"}
                  </legend>
                  <div className="attendance-toggle">
                    {ATTENDANCE_STATUSES.map((option) => (
                      <label key={option} className={`attendance-toggle__option attendance-toggle__option--${option}`}>
                        <input
                          type="radio"
                          id={`${f.status.id}-${option}`}
                          name={f.status.name}
                          value={option}
                          checked={status === option}
                          onChange={() => setStatus(index, option)}
                          aria-invalid={f.status.errors?.length ? true : undefined}
                        />
                        <span>{attendanceStatusLabels[option]}</span>
                      </label>
                    ))}
                  </div>
                </fieldset>
                {status === "" || (PRESENT_STATUSES as readonly string[]).includes(status) ? (
                  <details className="attendance-hours" open={hoursOpen}>
                    <summary>
                      Timmar<span className="visually-hidden"> för {row.name}</span>
                    </summary>
                    <input
                      key={hoursKey}
                      {...hoursProps}
                      aria-label={`Timmar för ${row.name}`}
                      disabled={disabled}
                      inputMode="decimal"
                      autoComplete="off"
                      aria-describedby={f.hours.errors?.length ? f.hours.errorId : undefined}
                    />
                    <span className="muted"> av {formatHours(sessionMinutes)} tim</span>
                  </details>
                ) : null}
                <div id={f.hours.errorId}>
                  {f.hours.errors?.map((e) => (
                    <p key={e} className="field-error">
                      {e}
                    </p>
                  ))}
                </div>
                <div id={f.status.errorId}>
                  {f.status.errors?.map((e) => (
                    <p key={e} className="field-error">
                      {e}
                    </p>
                  ))}
                </div>
              </li>
            );
          })}
        </ul>
        {!closedReason ? (
          <>
            {anyRecorded ? <TextField field={fields.reason} label="Anledning till ändring (när du rättar tidigare registrerad närvaro)" /> : null}
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
                <SubmitButton name="intent" value="save" className="button" busy={busy}>
                  Spara närvaro
                </SubmitButton>
                {toFill ? (
                  <SubmitButton
                    name="intent"
                    value="all_present"
                    className="button button--secondary"
                    onClick={hydrated ? fillPresent : undefined}
                   busy={busy}>
                    {hydrated ? `Alla närvarande (${toFill} omarkerade)` : "Alla närvarande (sparar alla omarkerade som närvarande)"}
                  </SubmitButton>
                ) : null}
              </div>
            </div>
          </>
        ) : null}
      </Form>
    </>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
