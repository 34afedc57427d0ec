import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, unshownErrors } from "~/components/form";
import { ProgrammeSelect } from "~/components/programme-select";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getScbMonth, markScbMonthReported, type ScbMonthStatus } from "~/domain/scb.server";
import { scbReportSchema } from "~/schemas/statistics";
import { enrolmentStatusLabels } from "~/ui/labels";
import { capitalise, formatDate, formatDateTime, formatMonth } from "~/utils/format";
import { refusalText, replyWithRefusal } from "~/utils/action-result.server";
import { isMonth } from "~/utils/hours";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "SCB-rapport – Programportalen" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const params = new URL(request.url).searchParams;
  const programme = params.get("program") ?? "";
  const month = params.get("manad") ?? "";
  const page = await getScbMonth(ctx, { programmeId: /^\d{1,9}$/.test(programme) ? Number(programme) : undefined, month: isMonth(month) ? month : undefined });
  if (!page.ok) throw refusalText(page);
  return page.value;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: scbReportSchema });
  const result = await markScbMonthReported(ctx, submission);
  if (!result.ok) return replyWithRefusal(submission, result);
  const query = new URLSearchParams({
    program: String(result.value.programmeId),
    manad: result.value.month,
    klart: result.value.corrected ? "rattelse" : "rapporterad",
    flaggade: String(result.value.flagged),
  });
  return redirect(`/scb?${query}`);
}

export const ErrorBoundary = RouteErrorBoundary;

function statusText(s: ScbMonthStatus): { text: string; badge: string } {
  if (s.needsRereport) return { text: "Behöver rapporteras om", badge: "badge--danger" };
  if (s.reportedAt) return { text: `Rapporterad ${formatDate(s.reportedAt)}${s.correctedAt ? " (rättad)" : ""}`, badge: "badge--success" };
  if (s.started + s.ended === 0) return { text: "Inget att rapportera", badge: "" };
  return { text: "Ej rapporterad", badge: "badge--warning" };
}

export default function ScbReport() {
  const data = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [form] = useForm({
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: scbReportSchema }),
  });
  const query = `program=${data.programme.id}&manad=${data.month}`;
  const monthName = formatMonth(`${data.month}-15`);
  const done = searchParams.get("klart");
  const flagged = Number(searchParams.get("flaggade") ?? 0);
  const reported = !!data.current.reportedAt;
  const incomplete = data.missingPersonnummer.length > 0;

  return (
    <div className="page">
      <h1>SCB-rapport</h1>
      <p className="lead">
        Deltagare som började eller slutade under månaden, för rapportering till SCB.{" "}
        {data.municipalityName ? `Du ser deltagarna från ${data.municipalityName}.` : "Du ser hela programmet."} ESF-projektnummer:{" "}
        {data.programme.esfProjectNumber ?? "saknas"}.
      </p>

      <Form method="get" className="filters" aria-label="Välj program och månad">
        <ProgrammeSelect programmes={data.programmes} selected={data.programme.id} />
        <div className="field">
          <label htmlFor="manad">Månad</label>
          <select id="manad" name="manad" defaultValue={data.month}>
            {data.months.map((m) => (
              <option key={m.month} value={m.month}>
                {formatMonth(`${m.month}-15`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary">
          Visa
        </button>
      </Form>

      {done ? (
        <div className="alert alert--success" role="status">
          <p>
            {done === "rattelse" ? `Rättelsen för ${monthName} är registrerad.` : `${monthName} är markerad som rapporterad.`}
            {flagged ? ` ${flagged} senare rapporterade månader är markerade för ny rapportering.` : ""}
          </p>
        </div>
      ) : null}

      <section aria-labelledby="month-heading" className="panel">
        <h2 id="month-heading">{capitalise(monthName)}</h2>
        <p>
          Status: <span className={`badge ${statusText(data.current).badge}`}>{statusText(data.current).text}</span>
          {data.current.reportedAt ? <> (senast {formatDateTime(data.current.reportedAt)})</> : null}
        </p>
        {data.changedSinceReport ? (
          <div className="alert alert--warning">
            <p>Listan har ändrats sedan månaden rapporterades. Skicka en rättelse till SCB och registrera den här.</p>
          </div>
        ) : null}
        {data.current.needsRereport ? (
          <div className="alert alert--warning">
            <p>En tidigare månad har rättats efter att den här rapporterades. Rapportera månaden på nytt.</p>
          </div>
        ) : null}
        {incomplete ? (
          <div className="alert alert--warning" role="status">
            <p>
              <strong>
                {data.missingPersonnummer.length === 1 ? "En deltagare saknar" : `${data.missingPersonnummer.length} deltagare saknar`} personnummer.
              </strong>{" "}
              SCB behöver personnumret för varje rad. Lägg in det innan månaden laddas ner eller markeras som rapporterad.
            </p>
            <ul>
              {data.missingPersonnummer.map((r) => (
                <li key={r.enrolmentId}>
                  {data.canFixRows ? (
                    <Link to={`/deltagare/${r.participantId}/redigera`}>
                      {r.firstName} {r.lastName}
                    </Link>
                  ) : (
                    `${r.firstName} ${r.lastName}`
                  )}
                  , {r.municipalityName}
                </li>
              ))}
            </ul>
            {data.canFixRows ? null : <p>Kommunernas samordnare lägger in personnumren.</p>}
          </div>
        ) : null}
        <div className="actions">
          {incomplete ? null : (
            <>
              <a className="button button--secondary" href={`/scb.csv?${query}`} download>
                Ladda ner CSV
              </a>
              <a className="button button--secondary" href={`/scb.xlsx?${query}`} download>
                Ladda ner Excel (XLSX)
              </a>
            </>
          )}
          <Form method="post" {...getFormProps(form)} className="inline-form">
            <input type="hidden" name="programmeId" value={data.programme.id} />
            <input type="hidden" name="month" value={data.month} />
            <button
              type="submit"
              name="intent"
              value={reported ? "correct" : "report"}
              className="button"
              disabled={navigation.state === "submitting" || incomplete}
              aria-disabled={incomplete || undefined}
            >
              {reported ? "Registrera rättelse" : "Markera som rapporterad"}
            </button>
          </Form>
        </div>
        <FormErrors id={form.errorId} errors={unshownErrors(form)} />
        <p className="hint">
          De nedladdade filerna innehåller fullständiga personnummer. Hantera dem varsamt och radera dem när rapporten är skickad.
          {reported ? " En rättelse markerar alla senare rapporterade månader för ny rapportering." : ""}
        </p>

        {data.rows.length ? (
          <TableWrap label={`Deltagare ${monthName}`}>
            <table>
              <caption className="visually-hidden">Deltagare som började eller slutade {monthName}</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Personnummer</th>
                  <th scope="col">Kommun</th>
                  <th scope="col">Omgång</th>
                  <th scope="col">Start</th>
                  <th scope="col">Slut</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.enrolmentId}>
                    <th scope="row">
                      {r.firstName} {r.lastName}
                    </th>
                    <td>{r.personnummer ?? <span className="badge badge--warning">Saknas</span>}</td>
                    <td>{r.municipalityName}</td>
                    <td>{r.cohortName}</td>
                    <td>{formatDate(r.startedOn)}</td>
                    <td>{r.endedOn ? formatDate(r.endedOn) : "–"}</td>
                    <td>{enrolmentStatusLabels[r.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p className="empty">Ingen började eller slutade i {monthName}.</p>
        )}
      </section>

      <section aria-labelledby="months-heading">
        <h2 id="months-heading">Månader</h2>
        <TableWrap label="Månader och rapportstatus">
          <table>
            <caption className="visually-hidden">Månader och rapportstatus</caption>
            <thead>
              <tr>
                <th scope="col">Månad</th>
                <th scope="col" className="num">
                  Började
                </th>
                <th scope="col" className="num">
                  Slutade
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => {
                const s = statusText(m);
                return (
                  <tr key={m.month}>
                    <th scope="row">
                      <Link to={`/scb?program=${data.programme.id}&manad=${m.month}`} aria-current={m.month === data.month ? "page" : undefined}>
                        {formatMonth(`${m.month}-15`)}
                      </Link>
                    </th>
                    <td className="num">{m.started}</td>
                    <td className="num">{m.ended}</td>
                    <td>{s.badge ? <span className={`badge ${s.badge}`}>{s.text}</span> : s.text}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </div>
  );
}
