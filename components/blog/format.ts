const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** "March 4, 2026", in the workspace's time zone (the runtime's when the zone is unknown). */
export function formatPostDate(date: Date, timeZone: string): string {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone });
    } catch {
      formatter = new Intl.DateTimeFormat("en-US", { dateStyle: "long" });
    }
    dateFormatters.set(timeZone, formatter);
  }
  return formatter.format(date);
}

/** A stable hue per post, so covers without an image still look distinct from each other. */
export function hueFor(seed: string): number {
  // FNV-1a: similar slugs ("notes-1", "notes-2") still land far apart on the colour wheel.
  let h = 0x811c9dc5;
  for (const ch of seed) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 0x01000193) >>> 0;
  return h % 360;
}

export const tagHref = (workspaceSlug: string, tag: string) =>
  `/blog/${workspaceSlug}?tag=${encodeURIComponent(tag)}`;
