import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRecentAuthentication, requireUserContext } from "~/auth/session.server";
import { FormErrors } from "~/components/form";
import { RouteErrorBoundary } from "~/components/route-error";
import { administerUser, getUser } from "~/domain/users.server";
import { userIntentSchema } from "~/schemas/users";
import { roleLabels } from "~/ui/roles";
import { formatDateTime } from "~/utils/format";
import { replyWithRefusal } from "~/utils/action-result.server";
import { idParam } from "~/utils/params";
import { readFormData } from "~/utils/form-data.server";

export const meta: MetaFunction = () => [{ title: "Användare – Programportalen" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const userId = idParam(params.userId);
  return getUser(ctx, userId);
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const ctx = await requireUserContext(request, context);
  const userId = idParam(params.userId);
  const submission = parseWithZod(await readFormData(request), { schema: userIntentSchema });
  const intent = submission.status === "success" ? submission.value : null;
  // Role changes are sensitive: the administrator confirms the password when the last proof is old.
  if (intent?.intent === "add-grant" || intent?.intent === "remove-grant") requireRecentAuthentication(request, ctx);
  const result = await administerUser(ctx, userId, intent);
  // A form that did not pass its schema (an unknown intent has no field to show its message beside) gets the refusal's message on top too.
  if (!result.ok && submission.status !== "success") return json(submission.reply({ formErrors: result.message ? [result.message] : undefined }), { status: 400 });
  if (!result.ok) return replyWithRefusal(submission, result);
  return json({ ...submission.reply({ resetForm: true }), done: intent?.intent ?? null });
}

export default function UserDetail() {
  const { user, grants, activeLoginSessions, oneTimePasswordPending, twoFactorEnabled, resetLinkExpiresAt, options } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "error" in result && result.error ? (result.error[""] ?? []) : [];
  const linkSent = result && "done" in result && result.done === "send-reset-link";
  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Du är här">
        <ol>
          <li>
            <Link to="/admin/anvandare">Användare</Link>
          </li>
          <li aria-current="page">{user.name}</li>
        </ol>
      </nav>
      <h1>{user.name}</h1>
      <FormErrors id="user-errors" errors={errors} />
      <dl className="facts panel">
        <dt>E-post</dt>
        <dd>{user.email}</dd>
        <dt>Skapad</dt>
        <dd>{formatDateTime(user.created_at)}</dd>
        <dt>Status</dt>
        <dd>{user.disabled_at ? `Inaktiverad ${formatDateTime(user.disabled_at)}` : "Aktiv"}</dd>
        <dt>Inloggad på</dt>
        <dd>{activeLoginSessions === 1 ? "1 enhet" : `${activeLoginSessions} enheter`}</dd>
        <dt>Lösenord</dt>
        <dd>
          {oneTimePasswordPending ? "Engångslösenord, byts vid första inloggningen" : "Eget"}
          {resetLinkExpiresAt ? `. En länk för nytt lösenord gäller till ${formatDateTime(resetLinkExpiresAt)}` : ""}
        </dd>
        <dt>Tvåstegsverifiering</dt>
        <dd>{twoFactorEnabled ? "På" : "Av"}</dd>
      </dl>
      {linkSent ? (
        <p className="alert alert--success" role="status">
          En länk för att välja nytt lösenord är skickad till {user.email}. Den gäller i 30 minuter.
        </p>
      ) : null}
      <Form method="post" className="actions">
        {user.disabled_at ? null : (
          <button type="submit" name="intent" value="send-reset-link" className="button button--secondary">
            Skicka länk för nytt lösenord
          </button>
        )}
        {user.disabled_at ? (
          <button type="submit" name="intent" value="enable" className="button button--secondary">
            Aktivera kontot
          </button>
        ) : (
          <button type="submit" name="intent" value="disable" className="button button--danger">
            Inaktivera kontot och logga ut överallt
          </button>
        )}
      </Form>

      <h2>Roller</h2>
      {grants.length === 0 ? (
        <p className="empty">Användaren har ingen roll ännu.</p>
      ) : (
        <ul className="plain-list">
          {grants.map((g) => (
            <li key={g.id}>
              <Form method="post" className="actions">
                <span>
                  {roleLabels[g.role]}
                  {g.municipality ? `, ${g.municipality}` : ""}
                  {g.programme ? `, ${g.programme}` : ""}
                </span>
                <input type="hidden" name="grantId" value={g.id} />
                {g.role !== "participant" ? (
                  <button type="submit" name="intent" value="remove-grant" className="button button--small button--quiet">
                    Ta bort rollen
                  </button>
                ) : null}
              </Form>
            </li>
          ))}
        </ul>
      )}

      <h2>Ge en roll</h2>
      {/* Keyed by the user's roles: once a role is given (or removed) the form starts over instead of offering the same one again. */}
      <Form method="post" className="form panel" key={grants.map((g) => g.id).join(",")}>
        <div className="field">
          <label htmlFor="role">Roll</label>
          <select id="role" name="role" required>
            <option value="coordinator">{roleLabels.coordinator}</option>
            <option value="programme_lead">{roleLabels.programme_lead}</option>
            <option value="funder">{roleLabels.funder}</option>
            <option value="coach">{roleLabels.coach}</option>
            <option value="admin">{roleLabels.admin}</option>
          </select>
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="municipalityId">Kommun</label>
            <p className="hint" id="municipality-hint">
              För Kommunsamordnare.
            </p>
            <select id="municipalityId" name="municipalityId" aria-describedby="municipality-hint">
              <option value="">Ingen</option>
              {options.municipalities.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="programmeId">Program</label>
            <p className="hint" id="programme-hint">
              För Programledare, Finansiär och Coach.
            </p>
            <select id="programmeId" name="programmeId" aria-describedby="programme-hint">
              <option value="">Inget</option>
              {options.programmes.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div>
          <button type="submit" name="intent" value="add-grant" className="button">
            Ge rollen
          </button>
        </div>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
