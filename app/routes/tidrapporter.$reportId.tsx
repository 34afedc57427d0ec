import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { TimeReportLines } from "~/components/time-report-lines";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, TextAreaField, TextField, unshownErrors } from "~/components/form";
import { actOnTimeReport } from "~/domain/time-report-workflow.server";
import { getTimeReport, nextReportToCertify } from "~/domain/timereports.server";
import { timeReportActionSchema } from "~/schemas/timereports";
import { roundingLabels, timeReportStatusLabels } from "~/ui/labels";
import { certificationText } from "~/ui/timereports";
import { formatDateTime, formatMonth } from "~/utils/format";
import { idParam } from "~/utils/params";
import { replyWithRefusal } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Tidrapport ${formatMonth(`${data.month}-15`)}, ${data.participantName} – Programportalen` : "Tidrapport – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const reportId = idParam(params.reportId);
  const report = await getTimeReport(ctx, reportId);
  const justCertified = new URL(request.url).searchParams.get("klart") === "certify";
  return { ...report, nextToCertify: justCertified ? await nextReportToCertify(ctx, reportId) : null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const reportId = idParam(params.reportId);
  const submission = parseWithZod(await readFormData(request), { schema: timeReportActionSchema });
  const result = await actOnTimeReport(ctx, reportId, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  return redirect(`/tidrapporter/${reportId}?klart=${result.value}`);
}

const done: Record<string, string> = {
  confirm: "Tack! Tidrapporten är bekräftad och skickad till din samordnare för attestering.",
  certify: "Tidrapporten är attesterad och låst.",
  reopen: "Tidrapporten är öppnad igen. Senare attesterade månader är markerade för granskning.",
  reviewed: "Tidrapporten är markerad som granskad.",
};

const eventLabels: Record<string, string> = {
  confirmed: "Bekräftad av deltagaren",
  certified: "Attesterad",
  reopened: "Öppnad igen",
  returned_to_draft: "Tillbaka till utkast",
  flagged_for_review: "Markerad för granskning",
  reviewed: "Granskad",
};

export default function TimeReportPage() {
  const report = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // A refused action hides the message of the one before it.
  const flash = lastResult ? undefined : done[searchParams.get("klart") ?? ""];
  const monthName = formatMonth(`${report.month}-15`);
  const anyAction = report.can.confirm || report.can.certify || report.can.reopen || report.can.markReviewed;

  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            {report.ownReport ? (
              <Link to="/tid">Min tid</Link>
            ) : (
              <Link to={`/tidrapporter?manad=${report.month}`}>Tidrapporter {monthName}</Link>
            )}
          </li>
        </ol>
      </nav>
      <div className="page-header">
        <h1>Tidrapport {monthName}</h1>
        <div className="actions">
          <Link to={`/tidrapporter/${report.id}/intyg`} className="button button--secondary">
            Utskrivbart intyg
          </Link>
        </div>
      </div>
      {flash ? (
        <div className="alert alert--success" role="status">
          <p>{flash}</p>
          {report.nextToCertify ? (
            <p>
              <Link to={`/tidrapporter/${report.nextToCertify}`}>Nästa tidrapport att attestera</Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {report.needsReview ? (
        <div className="alert alert--warning">
          <p>En tidigare månad har öppnats igen efter att den här attesterades. Kontrollera att timmarna fortfarande stämmer.</p>
        </div>
      ) : null}

      <div className="panel">
        <dl className="facts">
          <dt>Deltagare</dt>
          <dd>{report.participantName}</dd>
          <dt>Kommun</dt>
          <dd>{report.municipalityName}</dd>
          <dt>Program</dt>
          <dd>{report.programmeName}</dd>
          <dt>Status</dt>
          <dd>
            <strong>{timeReportStatusLabels[report.status]}</strong>
          </dd>
          <dt>Bekräftad</dt>
          <dd>{report.confirmedAt ? `${report.confirmedByName}, ${formatDateTime(report.confirmedAt)}` : "Inte ännu"}</dd>
          <dt>{report.status === "certified" ? "Attesterad" : "Senast attesterad"}</dt>
          <dd>{report.certifiedAt ? certificationText(report) : "Inte ännu"}</dd>
          <dt>Avrundning</dt>
          <dd>{roundingLabels[report.rounding]}, på månadens summa</dd>
        </dl>
      </div>

      <h2 id="lines-heading">Timmar per datum och aktivitet</h2>
      {report.lines.length === 0 ? (
        <p className="empty">Inga timmar registrerade den här månaden.</p>
      ) : (
        <TableWrap label="Timmar per datum och aktivitet">
          <TimeReportLines lines={report.lines} rawMinutes={report.rawMinutes} minutes={report.minutes} caption="Timmar per datum och aktivitet" captionHidden />
        </TableWrap>
      )}

      {/* Keyed by the report's version: after any action the form offers what the stored report allows, with its version. */}
      {anyAction ? (
        <ReportActionsForm key={report.version} report={report} lastResult={lastResult} />
      ) : (
        // A refusal stays visible even when the report no longer offers an action (another tab got there first).
        <FormErrors id="report-errors" errors={replyMessages(lastResult)} />
      )}

      {report.events.length ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">Historik</h2>
          <ul className="plain-list">
            {report.events.map((e, i) => (
              <li key={i}>
                <strong>{eventLabels[e.kind] ?? e.kind}</strong>, {formatDateTime(e.at)}
                {e.actorName ? ` av ${e.actorName}` : ""}
                {e.reason ? (
                  <>
                    <br />
                    <span className="muted">Anledning: {e.reason}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function ReportActionsForm({ report, lastResult }: { report: SerializeFrom<typeof loader>; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { managerName: report.managerName ?? "" },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: timeReportActionSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors id={form.errorId} errors={unshownErrors(form, report.can.reopen ? ["reason"] : report.can.certify ? ["managerName"] : [])} />
      <input type="hidden" name="version" value={report.version} />
      {report.can.confirm ? (
        <>
          <p>Stämmer timmarna? När du bekräftar skickas tidrapporten till din samordnare för attestering.</p>
          <div>
            <SubmitButton name="intent" value="confirm" className="button" busy={busy}>
              Bekräfta tidrapporten
            </SubmitButton>
          </div>
        </>
      ) : null}
      {report.can.certify ? (
        <fieldset>
          <legend>Attestera</legend>
          <p>
            Deltagaren har bekräftat timmarna. Den närmaste chefen attesterar dem, till exempel genom att skriva under
            intyget. När attesten är registrerad låses tidrapporten.
          </p>
          <TextField field={fields.managerName} label="Närmaste chef" hint="Namnet på chefen som attesterar. Hämtas från deltagarens uppgifter." />
          {report.onBehalfAllowed ? (
            <fieldset className="choices">
              <legend>Vem attesterar?</legend>
              <label>
                <input type="radio" name="certifiedAs" value="manager" defaultChecked /> Chefen har attesterat, jag registrerar det
              </label>
              <label>
                <input type="radio" name="certifiedAs" value="on_behalf" /> Jag attesterar på chefens vägnar
              </label>
            </fieldset>
          ) : (
            <input type="hidden" name="certifiedAs" value="manager" />
          )}
          <div>
            <SubmitButton name="intent" value="certify" className="button" busy={busy}>
              Attestera
            </SubmitButton>
          </div>
        </fieldset>
      ) : null}
      {report.can.markReviewed ? (
        <div>
          <SubmitButton name="intent" value="reviewed" className="button button--secondary" busy={busy}>
            Markera som granskad
          </SubmitButton>
        </div>
      ) : null}
      {report.can.reopen ? (
        <fieldset>
          <legend>Öppna tidrapporten igen</legend>
          <p className="muted">Behövs för att rätta närvaro eller aktiviteter i en attesterad månad. Ändringen spåras.</p>
          <TextAreaField field={fields.reason} label="Anledning" />
          <div>
            <SubmitButton name="intent" value="reopen" className="button button--danger" busy={busy}>
              Öppna igen
            </SubmitButton>
          </div>
        </fieldset>
      ) : null}
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
