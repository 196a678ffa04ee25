import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "@/components/dashboard/nav";
import { SETTINGS_TABS } from "@/components/settings/settings-nav";
import { PALETTE_PAGES } from "@/lib/palette-pages";

const WORKSPACE_APP = path.join(process.cwd(), "app/(dashboard)/[workspace]");

describe("the command palette's pages", () => {
  const paths = PALETTE_PAGES.map((p) => p.path);

  it("include every navigation line and settings tab", () => {
    const nav = NAV_ITEMS.flatMap((i) => [i, ...(i.children ?? [])]).map((i) => i.path);
    // Settings → Instance is for instance admins, not a workspace role: the palette leaves it out.
    const settings = SETTINGS_TABS.filter((t) => t.path !== "/instance").map((t) => `/settings${t.path}`);
    expect(paths).toEqual(expect.arrayContaining([...nav, ...settings]));
  });

  it("name pages that exist, once each", () => {
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) expect(fs.existsSync(path.join(WORKSPACE_APP, p, "page.tsx")), p).toBe(true);
  });
});
