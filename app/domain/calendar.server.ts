/**
 * Calendar feeds (iCalendar, RFC 5545) that calendar programs subscribe to.
 *
 * Each user has at most one feed per scope: "participant" (their own
 * schedule) and "staff" (the cohorts a programme lead or coordinator
 * manages). The address carries a random token; the database keeps only its
 * SHA-256, so neither a copy of the database nor anyone at the portal can
 * show the address again: it is shown once, when it is made, and a new one
 * can be made at any time (the old one then answers 404). See
 * docs/decisions/019-calendar-address-shown-once.md.
 *
 * The feed's rows are read here; app/ui/calendar-feed.server.ts writes them
 * as iCalendar text.
 */
import crypto from "node:crypto";
import type { CalendarFeedScope, SessionKind, SessionStatus } from "~/db/schema";
import { writeAudit } from "./audit.server";
import type { PortalLoadContext } from "~/load-context";
import { can, coordinatedMunicipalityIds, denied, ledProgrammeIds, loadGrants, ownParticipantIds, requireGrant, userContext, type Ctx } from "./context.server";

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (value: string) => crypto.createHash("sha256").update(value).digest("hex");

export interface FeedLinks {
  /** webcal:// address for "subscribe" in calendar programs. */
  subscribeUrl: string;
  /** https:// (or http://) address of the same feed, to download the .ics file. */
  downloadUrl: string;
  /** An earlier address of the scope was replaced (and stopped working). */
  renewed: boolean;
}

async function requireScope(ctx: Ctx, scope: CalendarFeedScope): Promise<void> {
  if (scope === "staff") await requireGrant(ctx, "calendar:staff", {}, { entity: "calendar_feed" });
  else if (!ownParticipantIds(ctx).length) await denied(ctx, "self:read", { entity: "calendar_feed" });
}

/** Whether the caller has a feed address for a scope, and since when (the address itself is not kept). */
export async function getFeedStatus(ctx: Ctx, scope: CalendarFeedScope): Promise<{ createdAt: string } | null> {
  await requireScope(ctx, scope);
  const feed = await ctx.db
    .selectFrom("calendar_feeds")
    .select("created_at")
    .where("user_id", "=", ctx.user.id)
    .where("scope", "=", scope)
    .executeTakeFirst();
  return feed ? { createdAt: feed.created_at } : null;
}

/**
 * "Skapa adress" / "Skapa ny adress": a new address, returned this once;
 * any earlier address of the scope stops working at once.
 */
export async function createFeedAddress(ctx: Ctx, scope: CalendarFeedScope, server: { publicUrl: string }): Promise<FeedLinks> {
  await requireScope(ctx, scope);
  const token = crypto.randomBytes(32).toString("base64url");
  const now = new Date().toISOString();
  const renewed = await ctx.db.transaction().execute(async (trx) => {
    const earlier = await trx.selectFrom("calendar_feeds").select("id").where("user_id", "=", ctx.user.id).where("scope", "=", scope).executeTakeFirst();
    await trx
      .insertInto("calendar_feeds")
      .values({ user_id: ctx.user.id, scope, token_hash: sha256(token), created_at: now })
      .onConflict((oc) => oc.columns(["user_id", "scope"]).doUpdateSet({ token_hash: sha256(token), created_at: now }))
      .execute();
    const action = earlier ? "calendar_feed.renewed" : "calendar_feed.created";
    await writeAudit(trx, { actorUserId: ctx.user.id, action, entity: "calendar_feed", entityId: ctx.user.id, detail: { scope } });
    return earlier !== undefined;
  });
  const downloadUrl = `${server.publicUrl}/kalender/${token}.ics`;
  return { downloadUrl, subscribeUrl: downloadUrl.replace(/^https?:/, "webcal:"), renewed };
}

/**
 * The cohorts a feed covers: those whose sessions the owner may read now, by
 * the same rule (`sessions:read`) as the session pages. A participant feed
 * reads through the owner's own participants active in a cohort; a staff feed
 * through the owner's programmes and the partner municipalities they
 * coordinate, limited to the cohorts they manage (the programmes they lead,
 * the cohorts with their municipality's active participants).
 */
async function feedCohortIds(ctx: Ctx, scope: CalendarFeedScope): Promise<number[]> {
  if (scope === "participant") {
    const own = ownParticipantIds(ctx);
    if (!own.length) return [];
    const active = await ctx.db.selectFrom("enrolments").select(["cohort_id", "participant_id"]).where("participant_id", "in", own).where("status", "=", "active").execute();
    return [...new Set(active.filter((e) => can(ctx, "sessions:read", { participantId: e.participant_id })).map((e) => e.cohort_id))];
  }
  if (!can(ctx, "calendar:staff")) return [];
  const led = ledProgrammeIds(ctx);
  const coordinated = coordinatedMunicipalityIds(ctx);
  if (!led.length && !coordinated.length) return [];
  const candidates = await ctx.db
    .selectFrom("cohorts as c")
    .leftJoin("programme_partners as pp", (join) => join.onRef("pp.programme_id", "=", "c.programme_id").on("pp.municipality_id", "in", coordinated.length ? coordinated : [0]))
    .select(["c.id", "c.programme_id", "pp.municipality_id"])
    .where((eb) =>
      eb.or([
        eb("c.programme_id", "in", led.length ? led : [0]),
        eb("c.id", "in", eb.selectFrom("enrolments").select("cohort_id").where("municipality_id", "in", coordinated.length ? coordinated : [0]).where("status", "=", "active")),
      ]),
    )
    .execute();
  const readable = candidates.filter(
    (c) => can(ctx, "sessions:read", { programmeId: c.programme_id }) || (c.municipality_id != null && can(ctx, "sessions:read", { programmeId: c.programme_id, municipalityId: c.municipality_id })),
  );
  return [...new Set(readable.map((c) => c.id))];
}

/** Names of the cohorts a staff feed covers, for the page that offers it. */
export async function staffFeedCohorts(ctx: Ctx) {
  await requireGrant(ctx, "calendar:staff", {}, { entity: "calendar_feed" });
  const ids = await feedCohortIds(ctx, "staff");
  if (!ids.length) return [];
  return ctx.db
    .selectFrom("cohorts as c")
    .innerJoin("programmes as p", "p.id", "c.programme_id")
    .select(["c.id", "c.name", "p.name as programmeName"])
    .where("c.id", "in", ids)
    .orderBy("p.name")
    .orderBy("c.starts_on")
    .execute();
}

/** What the feed route hands over from its load context: the database and the portal's public address. */
type FeedServer = Pick<PortalLoadContext, "db"> & { config: Pick<PortalLoadContext["config"], "publicUrl"> };

/** A session as the feed shows it. */
export type FeedSession = {
  id: number;
  title: string;
  kind: SessionKind;
  starts_at: string;
  ends_at: string;
  status: SessionStatus;
  sequence: number;
  venue: string;
  address: string;
  meeting_url: string;
  facilitator: string;
  description: string;
  created_at: string;
  updated_at: string;
  cohortName: string;
  programmeName: string;
  hostMunicipality: string;
};

export interface FeedDocument {
  scope: CalendarFeedScope;
  sessions: FeedSession[];
  /** Names the rows and the address (weak): the same rows are the same calendar. */
  etag: string;
  lastModified: Date;
}

/**
 * The feed behind a token, or null when the token is unknown, renewed, or
 * its owner disabled. Holds sessions only: nothing about other participants.
 *
 * The token stands in for a login, as the session cookie does for
 * requireUserContext: it names its owner, whose context (grants as they are
 * now) then decides what the feed holds, by the rules of the session pages.
 */
export async function buildFeed(app: FeedServer, token: string): Promise<FeedDocument | null> {
  const { db } = app;
  const publicUrl = app.config.publicUrl;
  if (!TOKEN_PATTERN.test(token)) return null;
  const feed = await db
    .selectFrom("calendar_feeds as f")
    .innerJoin("users as u", "u.id", "f.user_id")
    .select(["f.user_id", "f.scope", "f.created_at", "u.email", "u.name", "u.disabled_at"])
    .where("f.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!feed || feed.disabled_at) return null;

  const owner = userContext(db, { id: feed.user_id, email: feed.email, name: feed.name }, await loadGrants(db, feed.user_id));
  const cohortIds = await feedCohortIds(owner, feed.scope);
  const sessions = cohortIds.length
    ? await db
        .selectFrom("sessions as s")
        .innerJoin("cohorts as c", "c.id", "s.cohort_id")
        .innerJoin("programmes as p", "p.id", "c.programme_id")
        .innerJoin("municipalities as m", "m.id", "s.host_municipality_id")
        .select([
          "s.id",
          "s.title",
          "s.kind",
          "s.starts_at",
          "s.ends_at",
          "s.status",
          "s.sequence",
          "s.venue",
          "s.address",
          "s.meeting_url",
          "s.facilitator",
          "s.description",
          "s.created_at",
          "s.updated_at",
          "c.name as cohortName",
          "p.name as programmeName",
          "m.name as hostMunicipality",
        ])
        .where("s.cohort_id", "in", cohortIds)
        .orderBy("s.starts_at")
        .orderBy("s.id")
        .execute()
    : [];

  // The ETag names the rows, not the bytes (weak): the same rows are the same calendar, so pollers
  // get a 304 whenever the text was built. Exact: any change to a row, or a session added or
  // removed, gives another tag (and the iCalendar text is built again, app/ui/calendar-feed.server.ts).
  const key = sha256(JSON.stringify([feed.scope, publicUrl, sessions]));
  const newest = sessions.reduce((max, s) => (s.updated_at > max ? s.updated_at : max), feed.created_at);
  return {
    scope: feed.scope,
    sessions,
    etag: `W/"${key.slice(0, 32)}"`,
    // HTTP dates have whole seconds.
    lastModified: new Date(Math.floor(Date.parse(newest) / 1000) * 1000),
  };
}
