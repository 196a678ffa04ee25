/**
 * Amazon Attribution tags on tracked links (docs/AMAZON-ATTRIBUTION.md §4). Pure functions: the
 * redirect (services/links) calls them on every click, so nothing here touches the network.
 *
 * A tag is a query string (`?maas=…&ref_=aa_maas&tag=maas&aa_campaignid=…&aa_adgroupid=…&aa_creativeid=…`).
 * A non-macro template carries placeholders (`{insertCampaignId}`, `{insertAdGroupId}`, `{insertAdId}`)
 * that we fill; a macro tag carries the ad platform's own macros (`{campaignid}`…), which no ad
 * server fills for our links, so we fill those too. Our identifiers map a report row back:
 *   content item:   campaign `organic-<type>`, ad group `c-<content id>`, creative `l-<link code>`
 *   campaign step:  campaign `e-<email campaign id>`, ad group `s-<step id>`, creative `l-<link code>`
 *   other links:    campaign `organic-links`, ad group `l-<link code>`, creative `l-<link code>`
 */

export interface AttributionIds {
  campaignId: string;
  adGroupId: string;
  creativeId: string;
}

/** amazon.com, amazon.co.uk, amazon.com.au, amazon.de, smile.amazon.com… (not amzn.to short links). */
const AMAZON_HOST =
  /(^|\.)amazon\.(com|ca|com\.mx|com\.br|co\.uk|de|fr|it|es|nl|se|pl|com\.be|com\.tr|ae|sa|eg|in|co\.jp|com\.au|sg)$/i;
/** A product detail page (/dp/ASIN, /<slug>/dp/ASIN, /gp/product/ASIN, /gp/aw/d/ASIN) or a Store. */
const AMAZON_PAGE = /(^|\/)(dp|gp\/product|gp\/aw\/d)\/[A-Z0-9]{10}(\/|$)|^\/stores\//i;

export function isAmazonDestination(url: string | URL): boolean {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : url;
  } catch {
    return false;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return false;
  return AMAZON_HOST.test(u.hostname) && AMAZON_PAGE.test(u.pathname);
}

export function attributionIds(p: {
  code: string;
  contentId: string | null;
  contentType?: string | null;
  campaignStepId: string | null;
  emailCampaignId?: string | null;
}): AttributionIds {
  const creativeId = `l-${p.code}`;
  if (p.contentId)
    return { campaignId: `organic-${p.contentType ?? "content"}`, adGroupId: `c-${p.contentId}`, creativeId };
  if (p.campaignStepId)
    return {
      campaignId: p.emailCampaignId ? `e-${p.emailCampaignId}` : "organic-email",
      adGroupId: `s-${p.campaignStepId}`,
      creativeId,
    };
  return { campaignId: "organic-links", adGroupId: creativeId, creativeId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reported ad group (or creative) id back to what our tag carried; null for anyone else's. */
export function parseAttributionId(
  id: string | null | undefined,
): { contentId: string } | { campaignStepId: string } | { linkCode: string } | null {
  if (!id) return null;
  const m = /^([csl])-(.+)$/.exec(id.trim());
  if (!m) return null;
  const [, kind, rest] = m;
  if (kind === "c" && UUID.test(rest!)) return { contentId: rest!.toLowerCase() };
  if (kind === "s" && UUID.test(rest!)) return { campaignStepId: rest!.toLowerCase() };
  if (kind === "l" && /^[A-Za-z0-9_-]{3,32}$/.test(rest!)) return { linkCode: rest! };
  return null;
}

const PLACEHOLDER = /\{\{?\s*\*{0,2}([A-Za-z_][A-Za-z0-9_.]*)\*{0,2}\s*\}?\}/g;

function idFor(name: string, ids: AttributionIds): string {
  const n = name.toLowerCase();
  if (n.includes("campaign")) return ids.campaignId;
  if (n.includes("adgroup") || n.includes("ad_group")) return ids.adGroupId;
  return ids.creativeId;
}

/** Whether a tag has anything to fill (so one identifier per content item or step is possible). */
export function tagHasPlaceholders(tag: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(tag);
}

/** The tag's parameters with every placeholder filled: `[name, value]` in the tag's order. */
export function fillAttributionTag(tag: string, ids: AttributionIds): [string, string][] {
  const query = tag.trim().replace(/^[?&]/, "");
  // Placeholders hold braces that URLSearchParams would keep; fill them on the raw pairs.
  const out: [string, string][] = [];
  for (const part of query.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    const name = safeDecode(rawName);
    let value = safeDecode(rawValue);
    if (new RegExp(PLACEHOLDER.source).test(value)) {
      const lower = name.toLowerCase();
      // Amazon's own parameters take exactly our identifier, whatever the macro decorated it with.
      if (/^aa_(campaignid|adgroupid|creativeid)$/.test(lower)) value = idFor(lower, ids);
      else value = value.replace(PLACEHOLDER, (_m, n: string) => idFor(n, ids));
    }
    if (name) out.push([name, value]);
  }
  return out;
}

function safeDecode(s: string) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/**
 * The destination with the Attribution tag added, when it is an Amazon product or Store page. A
 * parameter the destination already carries is left as it is (like UTM parameters: its author
 * chose it).
 */
export function withAttributionTag(destination: string, tag: string | null, ids: AttributionIds): string {
  if (!tag || !isAmazonDestination(destination)) return destination;
  const url = new URL(destination);
  for (const [name, value] of fillAttributionTag(tag, ids))
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  return url.toString();
}
