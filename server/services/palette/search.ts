import "server-only";
import { and, desc, eq, ilike, inArray, or } from "drizzle-orm";
import { pageIsOn } from "@/lib/features";
import { PALETTE_PAGES } from "@/lib/palette-pages";
import type { Db } from "@/server/db";
import { content, emailCampaigns, leads, type Role } from "@/server/db/schema";
import { enabledContentTypes, enabledFeatures, featureEnabled } from "@/server/features";
import { hasRole } from "../workspaces/roles";
import { PALETTE_LIMIT_PER_KIND, type PaletteSearchInput, paletteSearchInput } from "./schemas";

export interface PaletteItem {
  id: string;
  label: string;
  /** A second line: the lead's email, the post's type and status… */
  detail: string | null;
  /** Below /<workspace>. */
  path: string;
}

export interface PaletteResults {
  pages: (PaletteItem & { section: string })[];
  leads: PaletteItem[];
  content: PaletteItem[];
  campaigns: PaletteItem[];
}

const likeTerm = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The pages this role may open while their parts are on, matching every word of the query. */
export function palettePages(role: Role, query: string): PaletteResults["pages"] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const features = enabledFeatures();
  return PALETTE_PAGES.filter((p) => pageIsOn(p.path, features) && (!p.adminOnly || hasRole(role, "admin")))
    .filter((p) => {
      const haystack = [p.label, p.section, ...(p.keywords ?? [])].join(" ").toLowerCase();
      return words.every((w) => haystack.includes(w));
    })
    .map((p) => ({
      id: p.path || "/",
      label: p.label,
      detail: p.section,
      path: p.path,
      section: p.section,
    }));
}

/**
 * What the command palette (⌘K) offers for a query: pages, then the workspace's leads (by email or
 * name), content (by title) and campaigns (by name), a few of each, newest first. An empty query
 * lists only pages. Content of a switched-off type and campaigns while email is off are left out.
 */
export async function searchPalette(
  db: Db,
  p: { workspaceId: string; role: Role },
  raw: PaletteSearchInput,
): Promise<PaletteResults> {
  const { query } = paletteSearchInput.parse(raw);
  const pages = palettePages(p.role, query);
  if (!query) return { pages, leads: [], content: [], campaigns: [] };
  const term = likeTerm(query);
  const types = enabledContentTypes();
  const [leadRows, contentRows, campaignRows] = await Promise.all([
    db
      .select({ id: leads.id, email: leads.email, name: leads.name })
      .from(leads)
      .where(and(eq(leads.workspaceId, p.workspaceId), or(ilike(leads.email, term), ilike(leads.name, term))))
      .orderBy(desc(leads.createdAt))
      .limit(PALETTE_LIMIT_PER_KIND),
    db
      .select({ id: content.id, title: content.title, type: content.type, status: content.status })
      .from(content)
      .where(
        and(eq(content.workspaceId, p.workspaceId), ilike(content.title, term), inArray(content.type, types)),
      )
      .orderBy(desc(content.createdAt))
      .limit(PALETTE_LIMIT_PER_KIND),
    featureEnabled("email")
      ? db
          .select({ id: emailCampaigns.id, name: emailCampaigns.name, status: emailCampaigns.status })
          .from(emailCampaigns)
          .where(and(eq(emailCampaigns.workspaceId, p.workspaceId), ilike(emailCampaigns.name, term)))
          .orderBy(desc(emailCampaigns.createdAt))
          .limit(PALETTE_LIMIT_PER_KIND)
      : Promise.resolve([]),
  ]);
  return {
    pages,
    leads: leadRows.map((l) => ({
      id: l.id,
      label: l.name || l.email,
      detail: l.name ? l.email : null,
      path: `/leads/${l.id}`,
    })),
    content: contentRows.map((c) => ({
      id: c.id,
      label: c.title,
      detail: `${c.type} · ${c.status.replace(/_/g, " ")}`,
      path: `/content/${c.id}`,
    })),
    campaigns: campaignRows.map((c) => ({
      id: c.id,
      label: c.name,
      detail: c.status,
      path: `/email/${c.id}`,
    })),
  };
}
