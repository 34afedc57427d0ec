import { SubmitButton } from "~/components/submit-button";
import { RouteErrorBoundary } from "~/components/route-error";
import { TableWrap } from "~/components/table-wrap";
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireUserContext } from "~/auth/session.server";
import { FormErrors, replyMessages, SelectField, TextField, unshownErrors, useEntryFormKey } from "~/components/form";
import { getUnitCosts, saveProgrammeSettings, saveSessionPlanning, saveUnitCost } from "~/domain/cofinancing.server";
import { programmeSettingsSchema, sessionPlanningSchema, unitCostSchema } from "~/schemas/timereports";
import { roundingLabels } from "~/ui/labels";
import { formatDateTime, stockholmToday } from "~/utils/format";
import { formatKronor } from "~/utils/hours";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";
import { refusalReply } from "~/utils/action-result.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Kostnader och regler, ${data.programme.name} – Programportalen` : "Kostnader och regler – Programportalen" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  return { ...(await getUnitCosts(ctx, idParam(params.programmeId))), thisYear: Number(stockholmToday().slice(0, 4)) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const programmeId = idParam(params.programmeId);
  const formData = await readFormData(request);
  // Each form calls one domain function, which checks the caller before it reads the input.
  if (formData.get("intent") === "session_planning") {
    const submission = parseWithZod(formData, { schema: sessionPlanningSchema });
    const result = await saveSessionPlanning(ctx, programmeId, submission);
    if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ intent: "session_planning" as const, reply }, { status });
    }
    return redirect(`/program/${programmeId}/kostnader?sparat=traffar`);
  }
  if (formData.get("intent") === "settings") {
    const submission = parseWithZod(formData, { schema: programmeSettingsSchema });
    const result = await saveProgrammeSettings(ctx, programmeId, submission);
    if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ intent: "settings" as const, reply }, { status });
    }
    return redirect(`/program/${programmeId}/kostnader?sparat=installningar`);
  }
  const submission = parseWithZod(formData, { schema: unitCostSchema });
  const result = await saveUnitCost(ctx, programmeId, submission);
  if (!result.ok) {
      const { reply, status } = refusalReply(submission, result);
      return json({ intent: "unit_cost" as const, reply }, { status });
    }
  const change = result.value;
  return redirect(`/program/${programmeId}/kostnader?sparat=kostnad&behallna=${change.keptCertified}&ifyllda=${change.filledCertified}`);
}

/** What a saved unit cost did to reports already certified: they keep theirs, unless they had none. */
function unitCostSavedText(kept: number, filled: number): string {
  const parts = ["Timkostnaden är sparad och gäller tidrapporter som attesteras från nu."];
  if (kept) parts.push(`${kept} redan attesterade tidrapporter i lönegruppen och året påverkas inte: de behåller timkostnaden och värdet från attesten.`);
  if (filled) parts.push(`${filled} attesterade tidrapporter som saknade timkostnad fick den nu.`);
  return parts.join(" ");
}

export default function UnitCosts() {
  const { programme, costs, settings, coordinatorsPlanSessions, thisYear } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  // A refused save hides the message of the one before it.
  const saved = actionData ? null : searchParams.get("sparat");
  const entryKey = useEntryFormKey();
  const count = (name: string) => Math.max(0, Number.parseInt(searchParams.get(name) ?? "0", 10) || 0);

  return (
    <div className="page">
      <nav aria-label="Du är här" className="breadcrumbs">
        <ol>
          <li>
            <Link to={`/program/${programme.id}`}>{programme.name}</Link>
          </li>
        </ol>
      </nav>
      <h1>Kostnader och regler</h1>
      <p className="lead">{programme.name}</p>
      {saved ? (
        <div className="alert alert--success" role="status">
          <p>{saved === "kostnad" ? unitCostSavedText(count("behallna"), count("ifyllda")) : saved === "traffar" ? "Vem som planerar träffar är sparat." : "Inställningarna är sparade."}</p>
        </div>
      ) : null}

      <section aria-labelledby="costs-heading">
        <h2 id="costs-heading">Timkostnad per lönegrupp och år</h2>
        <p>
          Attesterade timmar gånger timkostnaden ger medfinansieringens värde. Ange en befintlig lönegrupp och ett år igen för att ändra
          kostnaden. En ändring gäller tidrapporter som attesteras efteråt; redan attesterade behåller timkostnaden och värdet från attesten.
        </p>
        {costs.length === 0 ? (
          <p className="empty">Inga timkostnader är satta ännu.</p>
        ) : (
          <TableWrap label="Timkostnad per lönegrupp och år">
            <table aria-labelledby="costs-heading">
              <thead>
                <tr>
                  <th scope="col">År</th>
                  <th scope="col">Lönegrupp</th>
                  <th scope="col" className="num">
                    Kostnad per timme
                  </th>
                  <th scope="col">Ändrad</th>
                  <th scope="col" className="num">
                    Attesterade rapporter
                  </th>
                </tr>
              </thead>
              <tbody>
                {costs.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.year}</th>
                    <td>{c.salaryGroup}</td>
                    <td className="num">{formatKronor(c.hourlyCostOre)}</td>
                    <td>{formatDateTime(c.updatedAt)}</td>
                    <td className="num">
                      {c.certifiedReports}
                      {c.certifiedAtOtherCost ? ` (varav ${c.certifiedAtOtherCost} med tidigare kostnad)` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <UnitCostForm key={entryKey} thisYear={thisYear} lastResult={actionData?.intent === "unit_cost" ? actionData.reply : undefined} />
      </section>

      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Regler för programmet</h2>
        {/* Keyed by the stored rules, so after a save the form shows them, not its first render. */}
        <SettingsForm
          key={`${settings.completionPercent}:${settings.rounding}`}
          settings={settings}
          lastResult={actionData?.intent === "settings" ? actionData.reply : undefined}
        />
      </section>

      <section aria-labelledby="planning-heading">
        <h2 id="planning-heading">Vem planerar träffar</h2>
        {/* Keyed by the stored value, so the box shows what was saved after every save. */}
        <SessionPlanningForm
          key={String(coordinatorsPlanSessions)}
          allowed={coordinatorsPlanSessions}
          errors={actionData?.intent === "session_planning" ? replyMessages(actionData.reply) : []}
        />
      </section>
    </div>
  );
}

function UnitCostForm({ thisYear, lastResult }: { thisYear: number; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "unit-cost",
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { year: String(thisYear) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: unitCostSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <h3>Sätt timkostnad</h3>
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["salaryGroup", "year", "hourlyCost"])} />
      <input type="hidden" name="intent" value="unit_cost" />
      <div className="form-row">
        <TextField field={fields.salaryGroup} label="Lönegrupp" hint="Som hos deltagaren, till exempel 1, 2 eller 3." />
        <TextField field={fields.year} label="År" type="number" hint="Kalenderåret som kostnaden gäller." />
        <TextField field={fields.hourlyCost} label="Kronor per timme" inputMode="decimal" hint="Till exempel 412,50." />
      </div>
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Spara timkostnad
        </SubmitButton>
      </div>
    </Form>
  );
}

function SettingsForm({
  settings,
  lastResult,
}: {
  settings: { completionPercent: number; rounding: keyof typeof roundingLabels; onBehalfAllowed: boolean; funding: string };
  lastResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const esf = settings.funding === "esf";
  const [form, fields] = useForm({
    id: "programme-settings",
    lastResult,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { completionPercent: String(settings.completionPercent), rounding: settings.rounding, onBehalfAllowed: settings.onBehalfAllowed ? "on" : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: programmeSettingsSchema }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="form panel">
      <FormErrors id={form.errorId} errors={unshownErrors(form, ["completionPercent", "rounding"])} />
      <input type="hidden" name="intent" value="settings" />
      <TextField
        field={fields.completionPercent}
        label="Krav för att fullfölja (procent av schemalagda timmar)"
        type="number"
        hint="Deltagare som når kravet visas som att de uppfyller det i närvarorapporten."
      />
      <SelectField
        field={fields.rounding}
        label="Avrundning av månadens timmar"
        options={Object.entries(roundingLabels)
          .filter(([value]) => !esf || value === "hour_down")
          .map(([value, label]) => ({ value, label }))}
        hint={
          esf
            ? "ESF-finansierade program räknar bara hela timmar, avrundat nedåt på månadens summa (ESF-rådets regel)."
            : "Gäller tidrapporter som attesteras från nu; redan attesterade ändras inte."
        }
      />
      <div className="field">
        <label>
          <input {...getInputProps(fields.onBehalfAllowed, { type: "checkbox" })} /> Samordnaren får attestera tidrapporter på den närmaste chefens vägnar
        </label>
        <p className="hint">Annars registrerar samordnaren att chefen har attesterat. Attesten visas på intyget som det den är.</p>
      </div>
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Spara regler
        </SubmitButton>
      </div>
    </Form>
  );
}

function SessionPlanningForm({ allowed, errors }: { allowed: boolean; errors: string[] }) {
  const navigation = useNavigation();
  return (
    <Form method="post" className="form panel">
      <FormErrors id="session-planning-errors" errors={errors} />
      <input type="hidden" name="intent" value="session_planning" />
      <p>
        Programledaren planerar alltid träffarna. En träff och varje ändring av den, möteslänken i påminnelsen också, når deltagarna
        från alla kommuner i omgången.
      </p>
      <div className="field">
        <div className="checkbox">
          <input type="checkbox" id="coordinators-plan-sessions" name="coordinatorsPlanSessions" defaultChecked={allowed} aria-describedby="coordinators-plan-sessions-hint" />
          <label htmlFor="coordinators-plan-sessions">Samordnare får lägga till och ändra träffar som deras kommun är värd för</label>
        </div>
        <p className="hint" id="coordinators-plan-sessions-hint">
          Samordnare ser och registrerar ändå bara närvaro för sin egen kommuns deltagare.
        </p>
      </div>
      <div>
        <SubmitButton className="button" busy={navigation.state === "submitting"}>
          Spara
        </SubmitButton>
      </div>
    </Form>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
