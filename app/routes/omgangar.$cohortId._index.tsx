import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, SelectField, TextAreaField, TextField, unshownErrors, useEntryFormKey } from "~/components/form";
import { nominateSeveral, previewNominations, type NominationPlan } from "~/domain/bulk-nominations.server";
import { SeatTable } from "~/components/seat-table";
import { getCohortWithRoster } from "~/domain/cohorts.server";
import { changeStatusInCohort, decideNomination, type NominationCandidate } from "~/domain/nominations.server";
import type { FullRosterRow, LimitedRosterRow } from "~/domain/rosters.server";
import { SortHeader } from "~/components/sort-header";
import type { TableSort } from "~/schemas/table-sort";
import { rosterQuerySchema, sortedRoster, type RosterSort } from "~/ui/rosters";
import { enrolmentDecisionSchema, nominationPreviewSchema, nominationSchema, statusChangeSchema } from "~/schemas/programmes";
import { enrolmentStatusLabels } from "~/ui/labels";
import { formatDate, stockholmToday } from "~/utils/format";
import { idParam } from "~/utils/params";
import { refusalReply } from "~/utils/action-result.server";
import { readFormData } from "~/utils/form-data.server";

/** "2026-07-27": compact enough for a table cell, unambiguous in Swedish. */
const formatNumericDate = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : stockholmToday(new Date(value)));

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.cohort.name}, ${data.cohort.programmeName}` : "Omgång"} – Programportalen` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const rosterQuery = rosterQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const data = await getCohortWithRoster(ctx, idParam(params.cohortId));
  return { ...data, roster: data.roster && sortedRoster(data.roster, rosterQuery), rosterQuery, today: stockholmToday() };
}

type Intent = "nominate" | "decision" | "status";

const MESSAGES: Record<string, string> = {
  anmald: "Deltagaren är anmäld och väntar på programledarens beslut.",
  vantelista: "Kommunens platser är fulla. Deltagaren står på kommunens väntelista.",
  anmalda: "Anmälningarna är sparade.",
  antagen: "Anmälan är antagen.",
  aterkallad: "Anmälan är borttagen. Om en plats blev ledig har den erbjudits den första på väntelistan.",
  status: "Statusen är ändrad.",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const cohortId = idParam(params.cohortId);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const fail = (which: Intent, result: SubmissionResult<string[]>) => json({ intent: which, result }, { status: 400 });

  // Each form calls one domain function, which checks the caller may act on this cohort before it reads the input.
  if (intent === "preview-nominations") {
    const submission = parseWithZod(formData, { schema: nominationPreviewSchema });
    const result = await previewNominations(ctx, cohortId, submission);
    if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ intent: "nominate" as Intent, result: reply }, { status });
    }
    return json({ intent: "preview" as const, plan: result.value });
  }
  if (intent === "nominate") {
    const submission = parseWithZod(formData, { schema: nominationSchema });
    const result = await nominateSeveral(ctx, cohortId, submission);
    if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ intent: "nominate" as Intent, result: reply }, { status });
    }
    const { rows, nominated, waitlisted } = result.value;
    if (rows.length === 1) {
      return redirect(`/omgangar/${cohortId}?${rows[0].status === "nominated" ? "meddelande=anmald" : `meddelande=vantelista&plats=${rows[0].waitlistPosition}`}`);
    }
    return redirect(`/omgangar/${cohortId}?meddelande=anmalda&platser=${nominated}&ko=${waitlisted}`);
  }
  if (intent === "status") {
    const submission = parseWithZod(formData, { schema: statusChangeSchema });
    const result = await changeStatusInCohort(ctx, cohortId, submission);
    if (!result.ok) return fail("status", refusalReply(submission, result).reply);
    return redirect(`/omgangar/${cohortId}?meddelande=status`);
  }
  // A decision, or anything else posted here: a stranger is refused before being told the form is unknown.
  const submission = parseWithZod(formData, { schema: enrolmentDecisionSchema });
  const result = await decideNomination(ctx, cohortId, submission);
  if (result.ok) return redirect(`/omgangar/${cohortId}?meddelande=${result.value === "accepted" ? "antagen" : "aterkallad"}`);
  if (intent !== "accept" && intent !== "withdraw") {
    return json({ intent: "decision" as Intent, result: { status: "error", error: { "": ["Okänd åtgärd."] } } as SubmissionResult<string[]> }, { status: 400 });
  }
  if (submission.status !== "success") return fail("decision", submission.reply({ formErrors: ["Välj en anmälan i listan."] }));
  return fail("decision", refusalReply(submission, result).reply);
}

function useLastResult(intent: Intent) {
  const data = useActionData<typeof action>();
  return data && data.intent === intent && "result" in data ? data.result : undefined;
}

/** "3 deltagare får en plats och väntar på programledarens beslut. 2 hamnar på kommunens väntelista." */
function planSummary(nominated: number, waitlisted: number): string {
  const seated = nominated === 0 ? "" : `${nominated === 1 ? "1 deltagare får en plats" : `${nominated} deltagare får en plats`} och väntar på programledarens beslut.`;
  const waiting = waitlisted === 0 ? "" : `${waitlisted === 1 ? "1 deltagare hamnar" : `${waitlisted} deltagare hamnar`} på kommunens väntelista.`;
  return [seated, waiting].filter(Boolean).join(" ");
}

export default function CohortPage() {
  const { cohort, roster, candidates, today, rosterQuery } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const key = searchParams.get("meddelande") ?? "";
  const position = Number(searchParams.get("plats"));
  const saved =
    key === "vantelista" && position > 0
      ? `${MESSAGES.vantelista} Plats i kön: ${position}.`
      : key === "anmalda"
        ? `${MESSAGES.anmalda} ${planSummary(Number(searchParams.get("platser")), Number(searchParams.get("ko")))}`
        : MESSAGES[key];
  const actionData = useActionData<typeof action>();
  // A refused change hides the message of the one before it.
  const message = actionData ? undefined : saved;
  const plan = actionData && "plan" in actionData ? actionData.plan : null;
  const entryKey = useEntryFormKey();
  const decisionResult = useLastResult("decision");
  const decisionErrors = decisionResult?.error?.[""] ?? undefined;
  const statusResult = useLastResult("status");
  const full = roster?.filter((r): r is FullRosterRow => r.kind === "full") ?? [];
  const limited = roster?.filter((r): r is LimitedRosterRow => r.kind === "limited") ?? [];
  const isCoordinator = cohort.nominatingMunicipalities.length > 0;
  const manageable = full.filter((r) => r.canManage && ["nominated", "accepted", "waitlisted", "active"].includes(r.status));

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/program">Program</Link>
          </li>
          <li>
            <Link to={`/program/${cohort.programmeId}`}>{cohort.programmeName}</Link>
          </li>
          <li aria-current="page">{cohort.name}</li>
        </ol>
      </nav>
      <div className="page-header">
        <h1>
          {cohort.name} <span className="muted">– {cohort.programmeName}</span>
        </h1>
        <div className="actions">
          {/* Funders and administrators see the cohort but not its sessions: no link they cannot open. */}
          {cohort.canDecide || isCoordinator ? (
            <>
              <Link to={`/omgangar/${cohort.id}/trafar`} className="button button--secondary">
                Träffar
              </Link>
              <Link to={`/omgangar/${cohort.id}/narvarorapport`} className="button button--secondary">
                Närvarorapport
              </Link>
            </>
          ) : null}
          {cohort.canDecide || isCoordinator ? (
            <>
              <Link to={`/omgangar/${cohort.id}/utvardering`} className="button button--secondary">
                Utvärderingar
              </Link>
              <Link to={`/omgangar/${cohort.id}/meddelanden`} className="button button--secondary">
                Meddelanden
              </Link>
            </>
          ) : null}
          {cohort.canManage ? (
            <>
              <Link to={`/omgangar/${cohort.id}/redigera`} className="button button--secondary">
                Redigera omgång
              </Link>
              <Link to={`/omgangar/${cohort.id}/platser`} className="button button--secondary">
                Flytta platser
              </Link>
            </>
          ) : null}
        </div>
      </div>
      {message ? (
        <div className="alert alert--success" role="status">
          <p>{message}</p>
        </div>
      ) : null}

      <dl className="facts panel">
        <dt>Period</dt>
        <dd>
          {formatDate(cohort.startsOn)} – {formatDate(cohort.endsOn)}
        </dd>
        <dt>Platser totalt</dt>
        <dd>{cohort.capacity}</dd>
        <dt>Fördelade på kommuner</dt>
        <dd>{cohort.totals.seats}</dd>
        <dt>Lediga</dt>
        <dd>{cohort.totals.free}</dd>
      </dl>

      <h2>Platser per kommun</h2>
      <p className="muted">Lediga = platser minus anmälda, antagna, aktiva och avslutade. Avbrutna lämnar tillbaka sin plats.</p>
      <SeatTable seats={cohort.seats} totals={cohort.totals} caption={`Platser per kommun i ${cohort.name}`} />

      {isCoordinator ? <NominateForm key={entryKey} candidates={candidates} municipalities={cohort.nominatingMunicipalities} plan={plan} /> : null}

      {roster ? (
        <section aria-labelledby="roster">
          <div className="section-header">
            <h2 id="roster">Deltagarlista</h2>
            <a href={`/omgangar/${cohort.id}/deltagarlista.csv`} className="button button--secondary button--small" download>
              Exportera deltagarlista (CSV)
            </a>
          </div>
          <Form method="get" className="filters" role="search" aria-label="Filtrera deltagarlistan" preventScrollReset>
            <div className="field">
              <label htmlFor="roster-search">Sök namn</label>
              <input id="roster-search" type="search" name="q" defaultValue={rosterQuery.q ?? ""} maxLength={100} />
            </div>
            <input type="hidden" name="sortera" value={rosterQuery.sortera} />
            <input type="hidden" name="ordning" value={rosterQuery.ordning} />
            <button type="submit" className="button button--secondary">
              Sök
            </button>
          </Form>
          <FormErrors id="decision-errors" errors={decisionErrors} />
          {full.length === 0 ? (
            <p className="empty">
              {rosterQuery.q
                ? `Ingen i deltagarlistan matchar ”${rosterQuery.q}”.`
                : isCoordinator
                  ? "Din kommun har inga deltagare i omgången ännu."
                  : "Ingen är anmäld till omgången ännu."}
            </p>
          ) : (
            <FullRoster
              rows={full}
              isLead={cohort.canDecide}
              sort={rosterQuery}
              caption={isCoordinator && !cohort.canDecide ? "Din kommuns deltagare" : "Alla deltagare"}
            />
          )}
          {isCoordinator && !cohort.canDecide ? (
            <>
              <h3>Deltagare från andra kommuner</h3>
              {limited.length === 0 ? (
                <p className="empty">Inga antagna deltagare från andra kommuner ännu.</p>
              ) : (
                <TableWrap label="Deltagare från andra kommuner">
                  <table>
                    <caption className="visually-hidden">Deltagare från andra kommuner</caption>
                    <thead>
                      <tr>
                        <th scope="col">Namn</th>
                        <th scope="col">Kommun</th>
                      </tr>
                    </thead>
                    <tbody>
                      {limited.map((r, i) => (
                        <tr key={`${r.municipality}-${r.lastName}-${r.firstName}-${i}`}>
                          <th scope="row">
                            {r.firstName} {r.lastName}
                          </th>
                          <td>{r.municipality}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </>
          ) : null}
          {manageable.length ? <StatusForm key={entryKey} rows={manageable} today={today} /> : <FormErrors id="status-errors" errors={replyMessages(statusResult)} />}
        </section>
      ) : (
        <p className="muted">Deltagarlistan visas för programledaren och kommunernas samordnare.</p>
      )}
    </div>
  );
}

const CURRENT_TEXT: Record<NonNullable<NominationCandidate["current"]>["status"], string> = {
  nominated: "Anmäld till",
  accepted: "Antagen till",
  waitlisted: "På väntelistan till",
  active: "Deltar i",
};

function currentText(c: NominationCandidate): string {
  return c.current ? `${CURRENT_TEXT[c.current.status]} ${c.current.programmeName}, ${c.current.cohortName}` : "Ingen omgång";
}

/**
 * The coordinator's candidates as a list to tick, each with where they stand
 * now. "Granska anmälan" shows who gets a seat and who goes to the waiting
 * list; only "Anmäl" saves, and only if the seats are as the preview said.
 */
function NominateForm({
  candidates,
  municipalities,
  plan,
}: {
  candidates: NominationCandidate[];
  municipalities: { id: number; name: string; free: number }[];
  plan: NominationPlan | null;
}) {
  const navigation = useNavigation();
  const lastResult = useLastResult("nominate");
  const [form, fields] = useForm({
    id: "nominate",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: nominationPreviewSchema }),
  });
  const several = municipalities.length > 1;
  // Ticked again after a preview, and after a refusal (what was posted comes back with it).
  const posted = fields.participantIds.initialValue;
  const chosen = new Set(plan ? plan.rows.map((r) => String(r.participantId)) : Array.isArray(posted) ? posted : posted ? [posted] : []);
  const listErrors = fields.participantIds.errors;
  const busy = navigation.state === "submitting";
  return (
    <section aria-labelledby="nominate-heading">
      <h2 id="nominate-heading">Anmäl deltagare</h2>
      <p>
        {municipalities
          .map((m) => `${m.name} har ${m.free === 1 ? "1 ledig plats" : `${m.free} lediga platser`}.`)
          .join(" ")}{" "}
        Välj en eller flera. De första i listan får de lediga platserna, övriga hamnar på kommunens väntelista i turordning. Du ser vem som hamnar var innan något sparas.
      </p>
      {candidates.length === 0 ? (
        <>
          {/* A refused nomination stays visible when nobody is left to nominate (another tab got there first). */}
          <FormErrors id={form.errorId} errors={unshownErrors(form)} />
          <p className="empty">
            Alla kommunens aktuella deltagare är redan anmälda. <Link to="/deltagare/ny">Lägg till en deltagare</Link>.
          </p>
        </>
      ) : (
        <Form method="post" {...getFormProps(form)} className="form panel" key={plan ? "planned" : "choosing"}>
          <FormErrors id={form.errorId} errors={unshownErrors(form, ["participantIds"])} />
          <fieldset aria-describedby={listErrors?.length ? fields.participantIds.errorId : undefined}>
            <legend>Deltagare att anmäla</legend>
            {listErrors?.length ? (
              <div id={fields.participantIds.errorId} className="field-error">
                {listErrors.map((e) => (
                  <p key={e}>{e}</p>
                ))}
              </div>
            ) : null}
            <TableWrap label="Deltagare att anmäla">
              <table className="candidates">
                <thead>
                  <tr>
                    <th scope="col">Namn</th>
                    {several ? <th scope="col">Kommun</th> : null}
                    <th scope="col">Nu</th>
                  </tr>
                </thead>
                <tbody>
                  {candidates.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <label className="checkbox">
                          <input type="checkbox" name="participantIds" value={c.id} defaultChecked={chosen.has(String(c.id))} /> {c.name}
                        </label>
                      </th>
                      {several ? <td>{c.municipality}</td> : null}
                      <td>{currentText(c)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </fieldset>
          <div>
            <SubmitButton name="intent" value="preview-nominations" className="button button--secondary" busy={busy}>
              Granska anmälan
            </SubmitButton>
          </div>
        </Form>
      )}
      {plan ? <NominationPlanPanel plan={plan} busy={busy} /> : null}
    </section>
  );
}

function NominationPlanPanel({ plan, busy }: { plan: NominationPlan; busy: boolean }) {
  const seated = plan.rows.filter((r) => r.status === "nominated");
  const waiting = plan.rows.filter((r) => r.status === "waitlisted");
  return (
    <Form method="post" className="panel" aria-labelledby="plan-heading">
      <h3 id="plan-heading">Så här blir anmälan</h3>
      <p role="status">{planSummary(plan.nominated, plan.waitlisted)} Inget är sparat ännu.</p>
      {seated.length ? (
        <>
          <h4>Får en plats ({seated.length})</h4>
          <ul>
            {seated.map((r) => (
              <li key={r.participantId}>{r.name}</li>
            ))}
          </ul>
        </>
      ) : null}
      {waiting.length ? (
        <>
          <h4>Till väntelistan ({waiting.length})</h4>
          <ul>
            {waiting.map((r) => (
              <li key={r.participantId}>
                {r.name}, plats {r.waitlistPosition} i kön
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <input type="hidden" name="intent" value="nominate" />
      {plan.rows.map((r) => (
        <input key={r.participantId} type="hidden" name="participantIds" value={r.participantId} />
      ))}
      <input type="hidden" name="expectedNominated" value={plan.nominated} />
      <SubmitButton className="button" busy={busy}>
        {plan.rows.length === 1 ? `Anmäl ${plan.rows[0].name}` : `Anmäl ${plan.rows.length} deltagare`}
      </SubmitButton>
    </Form>
  );
}

function statusText(r: FullRosterRow): string {
  const label = enrolmentStatusLabels[r.status];
  return r.status === "waitlisted" && r.waitlistPosition ? `${label}, nr ${r.waitlistPosition}` : label;
}

const BADGE: Partial<Record<FullRosterRow["status"], string>> = {
  active: "badge--success",
  completed: "badge--success",
  waitlisted: "badge--warning",
  nominated: "badge--warning",
  dropped: "badge--danger",
};

function FullRoster({ rows, isLead, caption, sort }: { rows: FullRosterRow[]; isLead: boolean; caption: string; sort: TableSort<RosterSort> }) {
  return (
    <TableWrap label="Anmäl deltagare">
      <table className="cohort-roster">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <SortHeader sort={sort} column="namn" label="Namn" />
            <SortHeader sort={sort} column="kommun" label="Kommun" />
            <SortHeader sort={sort} column="status" label="Status" />
            <th scope="col">Datum</th>
            <th scope="col">E-post</th>
            <th scope="col">Åtgärder</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const name = `${r.firstName} ${r.lastName}`;
            const withdrawable = r.canManage && ["nominated", "accepted", "waitlisted"].includes(r.status);
            return (
              <tr key={r.enrolmentId}>
                <th scope="row">
                  {r.participantId ? <Link to={`/deltagare/${r.participantId}`}>{name}</Link> : name}
                  {r.title ? <div className="muted cohort-roster__title">{r.title}</div> : null}
                </th>
                <td>{r.municipality}</td>
                <td>
                  <span className={`badge ${BADGE[r.status] ?? ""}`}>{statusText(r)}</span>
                  {r.dropReason ? <div className="muted">{r.dropReason}</div> : null}
                </td>
                <td className="cohort-roster__dates">
                  <DateLines row={r} />
                </td>
                <td>{r.email}</td>
                <td>
                  <div className="actions">
                    {r.canAccept ? (
                      <Form method="post">
                        <input type="hidden" name="enrolmentId" value={r.enrolmentId} />
                        <button type="submit" name="intent" value="accept" className="button button--small">
                          Anta<span className="visually-hidden"> {name}</span>
                        </button>
                      </Form>
                    ) : null}
                    {withdrawable ? (
                      <Form method="post">
                        <input type="hidden" name="enrolmentId" value={r.enrolmentId} />
                        <button type="submit" name="intent" value="withdraw" className="button button--quiet button--small">
                          {isLead ? "Avslå" : "Återkalla"}
                          <span className="visually-hidden"> anmälan för {name}</span>
                        </button>
                      </Form>
                    ) : null}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}

function DateLines({ row }: { row: FullRosterRow }) {
  return (
    <>
      <div>Anmäld {formatNumericDate(row.nominatedAt)}</div>
      {row.startedOn ? <div>Start {formatNumericDate(row.startedOn)}</div> : null}
      {row.endedOn ? <div>Slut {formatNumericDate(row.endedOn)}</div> : null}
    </>
  );
}

function StatusForm({ rows, today }: { rows: FullRosterRow[]; today: string }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "status",
    lastResult: useLastResult("status"),
    defaultValue: { date: today },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: statusChangeSchema }),
  });
  return (
    <section aria-labelledby="status-heading">
      <h3 id="status-heading">Ändra status</h3>
      <p className="muted">
        En antagen deltagare blir aktiv när hen börjar och avslutad när hen har gått klart. Ett avbrott kräver datum och orsak och lämnar
        platsen till den första på väntelistan.
      </p>
      <Form method="post" {...getFormProps(form)} className="form panel">
        <FormErrors id={form.errorId} errors={unshownErrors(form, ["enrolmentId", "status", "date", "reason"])} />
        <input type="hidden" name="intent" value="status" />
        <div className="form-row">
          <SelectField
            field={fields.enrolmentId}
            label="Deltagare"
            placeholder="Välj deltagare"
            options={rows.map((r) => ({ value: String(r.enrolmentId), label: `${r.firstName} ${r.lastName} (${statusText(r)})` }))}
          />
          <SelectField
            field={fields.status}
            label="Ny status"
            placeholder="Välj status"
            options={[
              { value: "active", label: "Aktiv (har börjat)" },
              { value: "completed", label: "Avslutad (har gått klart)" },
              { value: "dropped", label: "Avbruten" },
            ]}
          />
          <TextField field={fields.date} label="Datum" type="date" />
        </div>
        <TextAreaField field={fields.reason} label="Orsak (krävs vid avbrott)" />
        <div>
          <SubmitButton className="button" busy={navigation.state === "submitting"}>
            Spara status
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
