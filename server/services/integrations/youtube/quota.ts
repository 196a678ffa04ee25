import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { platformQuotaUsage } from "@/server/db/schema";
import type { GoogleAppCredentials } from "@/server/integrations/youtube/client";
import { PublishError } from "../../content/publisher";

/**
 * YouTube's daily quota belongs to the Google project (the app's client id), not to a workspace:
 * every workspace of this server draws from the same units, which reset at midnight Pacific time.
 * Units are taken before each call, so a call that would go over is never made.
 */

const PROVIDER = "youtube" as const;

/** The app's project key: the first 16 hex of sha256(client id) (the id itself is not stored). */
export const quotaProject = (app: Pick<GoogleAppCredentials, "clientId">) =>
  createHash("sha256").update(app.clientId).digest("hex").slice(0, 16);

/** Built once: a formatter costs far more to make than to use, and every API call asks. */
const PACIFIC = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Los_Angeles",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

function pacificNow(at: Date) {
  const parts = Object.fromEntries(PACIFIC.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minutesLeft: 24 * 60 - (Number(parts.hour) * 60 + Number(parts.minute)),
  };
}

/** The quota day (YYYY-MM-DD in America/Los_Angeles). */
export const quotaDay = (at = new Date()) => pacificNow(at).day;

/** The quota is used up until midnight Pacific time: retry then (the publish job tries again later). */
export class YouTubeQuotaExhaustedError extends PublishError {
  constructor(at = new Date()) {
    const { minutesLeft } = pacificNow(at);
    const hours = Math.max(1, Math.ceil(minutesLeft / 60));
    const retryAt = new Date(at.getTime() + minutesLeft * 60_000);
    super(
      `YouTube's daily quota for this server is used up; it resets at midnight Pacific time (in ${hours} ${hours === 1 ? "hour" : "hours"})`,
      true,
      retryAt,
    );
  }
}

/** One upsert that takes `units` if they fit under `limit`; false when they do not (nothing taken). */
async function takeUnits(db: Db, project: string, day: string, units: number, limit: number) {
  const rows = await db
    .insert(platformQuotaUsage)
    .values({ provider: PROVIDER, project, day, units })
    .onConflictDoUpdate({
      target: [platformQuotaUsage.provider, platformQuotaUsage.project, platformQuotaUsage.day],
      set: { units: sql`${platformQuotaUsage.units} + ${units}` },
      setWhere: sql`${platformQuotaUsage.units} + ${units} <= ${limit}`,
    })
    .returning({ units: platformQuotaUsage.units });
  return rows.length > 0;
}

type Spend = { units: number; done: (err?: Error) => void };
/** Takes asked for in the same turn of the event loop, per database handle and quota row. */
const gathering = new WeakMap<Db, Map<string, Spend[]>>();

/**
 * The takes gathered in one turn go to the one quota row in one statement (the row is shared by
 * every workspace, so thousands of publishes at once would otherwise queue on its lock). If their
 * sum does not fit, each is tried on its own, so a take that fits is never refused for another's.
 */
async function settle(db: Db, project: string, day: string, spends: Spend[], limit: number) {
  try {
    const total = spends.reduce((sum, s) => sum + s.units, 0);
    if (spends.length > 1 && (await takeUnits(db, project, day, total, limit))) {
      for (const s of spends) s.done();
      return;
    }
    for (const s of spends) {
      if (await takeUnits(db, project, day, s.units, limit)) s.done();
      else s.done(new YouTubeQuotaExhaustedError());
    }
  } catch (err) {
    for (const s of spends) s.done(err as Error);
  }
}

/** Takes `units` from today's quota, or throws YouTubeQuotaExhaustedError without taking any. */
export function spendQuota(db: Db, app: Pick<GoogleAppCredentials, "clientId">, units: number) {
  const limit = env().YOUTUBE_DAILY_QUOTA;
  if (units > limit) return Promise.reject(new YouTubeQuotaExhaustedError());
  const project = quotaProject(app);
  const day = quotaDay();
  const key = `${project}:${day}`;
  const rows = gathering.get(db) ?? new Map<string, Spend[]>();
  gathering.set(db, rows);
  return new Promise<void>((resolve, reject) => {
    const spend: Spend = { units, done: (err) => (err ? reject(err) : resolve()) };
    const waiting = rows.get(key);
    if (waiting) return void waiting.push(spend);
    rows.set(key, [spend]);
    setImmediate(() => {
      const spends = rows.get(key) ?? [];
      rows.delete(key);
      void settle(db, project, day, spends, limit);
    });
  });
}

/** YouTube said quotaExceeded: nothing more today, whatever our count says. */
export async function markQuotaExhausted(db: Db, app: Pick<GoogleAppCredentials, "clientId">) {
  const limit = env().YOUTUBE_DAILY_QUOTA;
  await db
    .insert(platformQuotaUsage)
    .values({ provider: PROVIDER, project: quotaProject(app), day: quotaDay(), units: limit })
    .onConflictDoUpdate({
      target: [platformQuotaUsage.provider, platformQuotaUsage.project, platformQuotaUsage.day],
      set: { units: sql`greatest(${platformQuotaUsage.units}, ${limit})` },
    });
}

/** Units used today by this server's Google project. */
export async function quotaUsedToday(db: Db, app: Pick<GoogleAppCredentials, "clientId">) {
  const [row] = await db
    .select({ units: platformQuotaUsage.units })
    .from(platformQuotaUsage)
    .where(
      and(
        eq(platformQuotaUsage.provider, PROVIDER),
        eq(platformQuotaUsage.project, quotaProject(app)),
        eq(platformQuotaUsage.day, quotaDay()),
      ),
    );
  return { used: row?.units ?? 0, limit: env().YOUTUBE_DAILY_QUOTA };
}
