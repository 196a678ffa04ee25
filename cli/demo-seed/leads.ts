import type { LeadStatus, leads } from "@/server/db/schema";
import { DEMO_FORM } from "./campaigns";
import { DAY, isoDay, type Rng } from "./rng";

// biome-ignore format: a name list reads better in rows
const FIRST_NAMES = [
  "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Priya", "Lucas", "Chloe", "Mateo",
  "Hana", "Owen", "Sofia", "Caleb", "Amara", "Jonas", "Leila", "Felix", "Nora", "Diego",
  "Ines", "Theo", "Keiko", "Marcus", "Elena", "Ravi", "Freya", "Samir", "Tessa", "Jude",
] as const;
// biome-ignore format: a name list reads better in rows
const LAST_NAMES = [
  "Carter", "Nguyen", "Okafor", "Schmidt", "Patel", "Rossi", "Kowalski", "Tanaka", "Dubois", "Moreno",
  "Lindqvist", "Brennan", "Haddad", "Fischer", "Alvarez", "Park", "Mensah", "Novak", "Ortega", "Walsh",
] as const;
const DOMAINS = ["example.com", "example.net", "example.org"] as const;
const COUNTRIES = [
  ["US", 52],
  ["CA", 12],
  ["GB", 11],
  ["DE", 8],
  ["AU", 7],
  ["NL", 5],
  ["SE", 5],
] as const;
const LEAD_SOURCES = [
  ["tiktok", 34],
  [DEMO_FORM.source, 30],
  ["blog", 20],
  ["import", 16],
] as const;
const LEAD_STATUSES = [
  ["active", 86],
  ["unsubscribed", 6],
  ["bounced", 4],
  ["pending", 2],
  ["complained", 2],
] as const satisfies readonly (readonly [LeadStatus, number])[];

const LEAD_COUNT = 60;

export function buildLeads(rng: Rng, workspaceId: string, now: number) {
  const seen = new Set<string>();
  const rows: (typeof leads.$inferInsert)[] = [];
  for (let i = 0; i < LEAD_COUNT; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const local = rng.weighted([
      [`${first}.${last}`, 5],
      [`${first[0]}${last}`, 3],
      [`${first}${rng.int(7, 99)}`, 2],
    ] as const);
    let email = `${local}@${rng.pick(DOMAINS)}`.toLowerCase();
    if (seen.has(email)) email = email.replace("@", `.${i}@`);
    seen.add(email);

    const source = rng.weighted(LEAD_SOURCES);
    const status = rng.weighted(LEAD_STATUSES);
    const createdAt = new Date(now - rng.between(0.2, 88.5) * DAY);
    const customer = source === "import" ? rng.chance(0.8) : rng.chance(0.35);
    const tags: string[] = [];
    const subscribed = status === "active" || status === "pending" ? rng.chance(0.8) : rng.chance(0.5);
    // The signup form tags whoever joins through it.
    if (subscribed || source === DEMO_FORM.source) tags.push("newsletter");
    if (customer) tags.push("customer");
    if (customer && rng.chance(0.25)) tags.push("vip");
    if (source === "tiktok" && rng.chance(0.6)) tags.push("tiktok-giveaway");
    if (rng.chance(0.2)) tags.push("ember-tide-preorder");
    if (source === "import" && rng.chance(0.3)) tags.push("retailer");
    if (rng.chance(0.08)) tags.push("playtester");

    const customFields: Record<string, unknown> = { country: rng.weighted(COUNTRIES) };
    if (customer) {
      // Imported customers may have ordered before they joined the list.
      const firstOrder = new Date(
        createdAt.getTime() + rng.between(source === "import" ? -200 : 0, 20) * DAY,
      );
      customFields.first_order = isoDay(new Date(Math.min(firstOrder.getTime(), now - DAY)));
      customFields.orders = rng.weighted([
        [1, 6],
        [2, 3],
        [3, 1],
        [5, 1],
      ] as const);
    }
    if (source === "tiktok")
      customFields.utm_campaign = rng.pick(["ember-tide-teaser", "giveaway-nov", "how-to-play"]);
    if (rng.chance(0.3))
      customFields.favorite_faction = rng.pick(["Thornwardens", "Ashen Court", "Tidecallers"]);

    rows.push({
      workspaceId,
      email,
      name: `${first} ${last}`,
      tags,
      source,
      status,
      customFields,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return rows.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
}
