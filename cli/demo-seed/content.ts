import type { content } from "@/server/db/schema";
import { CONTENT } from "./content-templates";
import { DAY, type Rng } from "./rng";

const FAILURE = {
  error: "TikTok rejected the upload: the video must be at least 3 seconds long (got 1.8 s)",
  errorCode: "video_too_short",
  attempts: 3,
} as const;

export function buildContent(
  rng: Rng,
  p: { workspaceId: string; createdBy: string | null; now: number; takenSlugs: Set<string> },
) {
  const { workspaceId, createdBy, now, takenSlugs } = p;
  return CONTENT.map((t, i) => {
    const jittered = now + t.day * DAY + rng.int(-180, 180) * 60_000;
    const isPast = t.status === "published" || t.status === "failed" || t.status === "publishing";
    // Whatever happened already lies in the past; whatever is scheduled lies ahead.
    const at = new Date(
      isPast
        ? Math.min(jittered, now - 5 * 60_000)
        : t.status === "scheduled"
          ? Math.max(jittered, now + 3_600_000)
          : jittered,
    );
    const createdAt = new Date(Math.min(at.getTime(), now) - rng.between(1, 9) * DAY);
    const wasScheduled = t.status === "published" ? rng.chance(0.6) : t.status !== "draft";
    const metadata: Record<string, unknown> = { demo: true, demoKey: `content-${i + 1}`, ...t.metadata };
    if (t.type === "tiktok") {
      metadata.caption = t.body;
      metadata.durationSeconds = t.status === "failed" ? 1.8 : rng.int(14, 58);
    }
    if (t.status === "failed") Object.assign(metadata, FAILURE, { failedAt: at.toISOString() });
    return {
      workspaceId,
      type: t.type,
      status: t.status,
      title: t.title,
      // A workspace's own post may already use the slug: the demo one steps aside.
      slug: t.slug ? (takenSlugs.has(t.slug) ? `${t.slug}-demo` : t.slug) : null,
      body: t.body,
      metadata,
      scheduledAt: wasScheduled ? at : null,
      publishedAt: t.status === "published" ? at : null,
      // The publisher's claim on an in-flight row, so a stale one is reclaimed like any other.
      // a claim taken just now, as a live publisher would hold it (an old one would be reclaimed)
      claimedAt: t.status === "publishing" ? new Date() : null,
      createdBy,
      createdAt,
      updatedAt: t.status === "draft" ? createdAt : new Date(Math.min(at.getTime(), now)),
    } satisfies typeof content.$inferInsert;
  });
}
