/** Items as one entry per video: the items sharing a `groupId` fold into their first one. */
export type VideoGroup<T> = { lead: T; members: T[] };

/**
 * Keeps the list order: a group sits where its first member was, its members in platform order.
 * `keyOf` can narrow a group (e.g. to one day).
 */
export function groupByVideo<T extends { id: string; groupId: string | null; type?: string }>(
  items: readonly T[],
  keyOf: (item: T) => string | null = (item) => item.groupId,
): VideoGroup<T>[] {
  const out: VideoGroup<T>[] = [];
  const byKey = new Map<string, VideoGroup<T>>();
  for (const item of items) {
    const key = item.groupId ? keyOf(item) : null;
    const existing = key ? byKey.get(key) : undefined;
    if (existing) {
      existing.members.push(item);
      continue;
    }
    const entry = { lead: item, members: [item] };
    out.push(entry);
    if (key) byKey.set(key, entry);
  }
  for (const g of out) if (g.members.length > 1) g.members.sort((a, b) => rank(a) - rank(b));
  return out;
}

/** Members read in one platform order everywhere: TikTok, YouTube, Instagram, then the rest. */
const ORDER = ["tiktok", "youtube", "instagram", "blog", "email"];
function rank(item: { type?: string }) {
  const i = ORDER.indexOf(item.type ?? "");
  return i === -1 ? ORDER.length : i;
}
