import type { ContentType, contentMetricSnapshots, contentMetrics, orders } from "@/server/db/schema";
import { DAY, type Rng } from "./rng";

/**
 * What a published item did since it went out, as the app keeps it: a metric snapshot per day (the
 * metrics sync's shape; the rollups turn their differences into daily figures), the item's current
 * figures (`content_metrics` = its last snapshot) and the orders it brought in (`orders` with the
 * item's id). Its conversions and revenue are not drawn here: the seed credits those orders through a
 * click on the item's tracked link (services/attribution), which writes them.
 */

export interface PublishedItem {
  id: string;
  type: ContentType;
  publishedAt: Date;
}

export interface EmailReach {
  firstOpens: Date[];
  firstClicks: { at: Date; leadId: string }[];
}

type OrderRow = typeof orders.$inferInsert & { purchaseDate: Date; total: string };

/** How fast an item's audience arrives: most views in the first days for a video, weeks for a post. */
const HALF_LIFE_DAYS: Record<ContentType, number> = {
  tiktok: 3,
  youtube: 5,
  instagram: 3,
  blog: 12,
  email: 1,
};
/** The share of an item's audience that comes in its first burst (the rest trickles in evenly). */
const BURST = 0.85;

/** Final figures of a non-email item (the orders are drawn from `conversions`). */
function finalFigures(rng: Rng, type: ContentType) {
  const views = type === "tiktok" ? rng.logBetween(2_500, 180_000) : rng.logBetween(400, 9_000);
  const rate = (min: number, max: number, of = views) => Math.round(of * rng.between(min, max));
  const clicks = type === "tiktok" ? rate(0.004, 0.02) : rate(0.03, 0.09);
  return {
    views,
    likes: type === "tiktok" ? rate(0.04, 0.12) : rate(0, 0.02),
    shares: type === "tiktok" ? rate(0.003, 0.015) : rate(0.002, 0.01),
    saves: type === "tiktok" ? rate(0.005, 0.03) : rate(0, 0.01),
    comments: type === "tiktok" ? rate(0.002, 0.01) : 0,
    clicks,
    conversions: rate(0.03, 0.09, clicks),
  };
}

const cents = (n: number) => Math.round(n * 100);

export function planContentHistory(
  rng: Rng,
  p: {
    workspaceId: string;
    item: PublishedItem;
    email: EmailReach | null;
    now: number;
    /** The next order number (demo orders are FW-<n>, numbered in seed order so a rerun finds them). */
    nextOrder: () => number;
  },
) {
  const { workspaceId, item, now } = p;
  const start = item.publishedAt.getTime();
  const last = now - 60_000;
  const span = Math.max(last - start, 60_000);
  const tau = HALF_LIFE_DAYS[item.type] * DAY;
  const norm = 1 - Math.exp(-span / tau);
  /** Share of the final audience reached by time t: a burst after publication, then a steady trickle. */
  const reached = (t: number) =>
    Math.min(1, BURST * ((1 - Math.exp(-(t - start) / tau)) / norm) + (1 - BURST) * ((t - start) / span));
  const averageOrder = rng.between(29, 54);
  const orderTotal = () => (cents(averageOrder * rng.between(0.75, 1.25)) / 100).toFixed(2);

  const final =
    item.type === "email"
      ? {
          views: p.email?.firstOpens.length ?? 0,
          likes: 0,
          shares: 0,
          saves: 0,
          comments: 0,
          clicks: p.email?.firstClicks.length ?? 0,
          conversions: 0,
        }
      : finalFigures(rng, item.type);

  const orderRows: OrderRow[] = [];
  const order = (purchaseDate: Date, leadId: string | null) => {
    orderRows.push({
      workspaceId,
      source: "api",
      channel: item.type,
      externalId: `FW-${p.nextOrder()}`,
      purchaseDate,
      lastUpdatedAt: purchaseDate,
      status: "paid",
      total: orderTotal(),
      currency: "USD",
      leadId,
      contentId: item.id,
      metadata: { demo: true },
      createdAt: purchaseDate,
      updatedAt: purchaseDate,
    });
  };
  if (item.type === "email") {
    // Some of the people who clicked bought, a little after the click.
    for (const c of p.email?.firstClicks ?? []) {
      const at = c.at.getTime() + rng.int(2, 180) * 60_000;
      if (rng.chance(0.3) && at < last) order(new Date(at), c.leadId);
    }
  } else {
    for (let i = 0; i < final.conversions; i++) {
      // Orders arrive as the views do: from the burst (the inverse of its curve) or the trickle.
      const at = rng.chance(BURST)
        ? start - tau * Math.log(1 - rng.next() * norm)
        : start + rng.next() * span;
      order(new Date(Math.min(Math.round(at), last)), null);
    }
  }
  orderRows.sort((a, b) => a.purchaseDate.getTime() - b.purchaseDate.getTime());

  // A snapshot a day since publication, and one a minute ago (the item's current figures).
  const times: number[] = [];
  for (let t = start + DAY; t < last; t += DAY) times.push(t);
  times.push(last);
  const upTo = <T>(list: T[], at: (x: T) => Date, t: number) => list.filter((x) => at(x).getTime() <= t);
  const snapshots = times.map((t) => {
    const share = reached(t);
    const figure = (k: "views" | "likes" | "shares" | "saves" | "comments" | "clicks") =>
      Math.round(final[k] * share);
    return {
      workspaceId,
      contentId: item.id,
      capturedAt: new Date(t),
      ...(item.type === "email"
        ? {
            views: upTo(p.email?.firstOpens ?? [], (d) => d, t).length,
            likes: 0,
            shares: 0,
            saves: 0,
            comments: 0,
            clicks: upTo(p.email?.firstClicks ?? [], (c) => c.at, t).length,
          }
        : {
            views: figure("views"),
            likes: figure("likes"),
            shares: figure("shares"),
            saves: figure("saves"),
            comments: figure("comments"),
            clicks: figure("clicks"),
          }),
    } satisfies typeof contentMetricSnapshots.$inferInsert;
  });
  const current = snapshots.at(-1)!;
  const metrics = {
    contentId: item.id,
    views: current.views,
    likes: current.likes,
    shares: current.shares,
    saves: current.saves,
    clicks: current.clicks,
    // Conversions and revenue are the orders' credits (services/attribution), written when the seed
    // credits its orders — never figures of its own.
    updatedAt: current.capturedAt,
  } satisfies typeof contentMetrics.$inferInsert;
  return { snapshots, metrics, orders: orderRows };
}

const AMAZON_PRODUCTS = [
  ["Thornfall Starter Duo", 24.99],
  ["Ember Tide expansion", 34.99],
  ["Thornfall playmat", 19.99],
  ["Thornfall collector's box", 64.99],
] as const;

/** Marketplace sales over the last `days` days (Amazon orders as the orders sync stores them). */
export function planAmazonOrders(rng: Rng, p: { workspaceId: string; now: number; days: number }) {
  const rows: OrderRow[] = [];
  const launch = p.now - 20 * DAY;
  for (let d = p.days - 2; d >= 1; d--) {
    const dayStart = p.now - d * DAY;
    const count = rng.int(0, dayStart >= launch ? 5 : 2);
    for (let i = 0; i < count; i++) {
      const purchaseDate = new Date(dayStart + rng.next() * DAY);
      const [product, price] = rng.pick(AMAZON_PRODUCTS);
      const quantity = rng.weighted([
        [1, 8],
        [2, 2],
      ] as const);
      rows.push({
        workspaceId: p.workspaceId,
        source: "amazon",
        channel: "amazon",
        externalId: `113-${String(rng.int(0, 9_999_999)).padStart(7, "0")}-${String(rows.length + 1).padStart(7, "0")}`,
        purchaseDate,
        lastUpdatedAt: new Date(
          Math.min(purchaseDate.getTime() + rng.int(1, 48) * 3_600_000, p.now - 60_000),
        ),
        status: rng.chance(0.04) ? "Canceled" : "Shipped",
        marketplaceId: "ATVPDKIKX0DER",
        total: (cents(price * quantity) / 100).toFixed(2),
        currency: "USD",
        metadata: { demo: true, items: [{ title: product, quantity }] },
        createdAt: purchaseDate,
        updatedAt: purchaseDate,
      });
    }
  }
  return rows;
}
