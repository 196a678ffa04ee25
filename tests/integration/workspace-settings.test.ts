import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import { type DbHandle, openDb } from "@/server/db";
import { users, workspaces } from "@/server/db/schema";
import type { SettingsSection, SettingsSectionValue } from "@/server/services/workspaces/schemas";
import {
  parseWorkspaceSettings,
  readWorkspaceSettings,
  writeSettingsSection,
} from "@/server/services/workspaces/settings";
import { withEnv } from "../helpers/cli-process";
import { memoryTestDb, runMigration, setupTestDb, usingPostgres } from "../helpers/db";
import { twoWorkspaces } from "../helpers/fixtures";
import { scratchDatabase } from "../helpers/scratch-db";

/**
 * `workspaces.settings` through its section schemas: old and broken rows read without throwing
 * (a bad section falls back to its defaults, with a warning), each section survives a write and a
 * read, and migration 0020 rewrites old-shaped rows into the sections.
 */

const h = await setupTestDb();
const f = await twoWorkspaces(h.db);

afterEach(() => {
  vi.restoreAllMocks();
});

const SENDER = {
  fromName: "Ferns",
  fromEmail: "hi@ferns.example",
  replyTo: "",
  postalAddress: "1 Leaf Lane, Greenville",
  sendRatePerSecond: 10,
};
const PRODUCT = {
  name: "Moon Mug",
  description: "Changes colour",
  url: "https://shop.example/mug",
  price: "$18",
};

async function rawSettings(workspaceId: string) {
  const [ws] = await h.db
    .select({ s: workspaces.settings })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return ws!.s;
}

async function setRaw(workspaceId: string, settings: unknown) {
  await h.db
    .update(workspaces)
    .set({ settings: sql`${JSON.stringify(settings)}::jsonb` })
    .where(eq(workspaces.id, workspaceId));
}

describe("parseWorkspaceSettings", () => {
  it("reads the old top-level brand keys, bare product names and numeric prices as the brand section", () => {
    const parsed = parseWorkspaceSettings({
      brandVoice: "  Warm  ",
      products: ["Moon Mug", { name: "Sun Cup", price: 12 }],
    });
    expect(parsed.brand).toEqual({
      brandVoice: "Warm",
      products: [
        { name: "Moon Mug", description: "", url: "", price: "" },
        { name: "Sun Cup", description: "", url: "", price: "12" },
      ],
    });
  });

  it("leaves out an invalid section with a warning, keeping the valid ones", () => {
    const warn = vi.spyOn(logger, "warn");
    const parsed = parseWorkspaceSettings(
      { sender: { ...SENDER, fromEmail: "not an address" }, smtp: { url: "smtp://mail.test" }, dkim: 42 },
      "ws-1",
    );
    expect(parsed).toEqual({ smtp: { url: "smtp://mail.test" } });
    expect(warn.mock.calls.map((c) => (c[0] as { section?: string }).section)).toEqual(["sender", "dkim"]);
  });

  it("never throws: a value that is no object reads as no settings", () => {
    const warn = vi.spyOn(logger, "warn");
    for (const raw of ["text", 7, [1, 2], true]) expect(parseWorkspaceSettings(raw)).toEqual({});
    expect(parseWorkspaceSettings(null)).toEqual({});
    expect(parseWorkspaceSettings(undefined)).toEqual({});
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it("fills a section's defaults and drops keys that are no section", () => {
    const { fromName, fromEmail, postalAddress } = SENDER;
    expect(
      parseWorkspaceSettings({ sender: { fromName, fromEmail, postalAddress }, future: { x: 1 } }),
    ).toEqual({
      sender: SENDER,
    });
  });
});

describe("each section, written and read back", () => {
  const cases: { [K in SettingsSection]: SettingsSectionValue<K> } = {
    sender: SENDER,
    brand: { brandVoice: "Cosy", products: [PRODUCT] },
    dkim: { domainName: "ferns.example", keySelector: "org", privateKeySealed: "sealed-bytes" },
    smtp: { url: "smtp://user:pw@mail.test:2525" },
    ai: { baseUrl: "http://127.0.0.1:9/v1", apiKey: null, model: "m1" },
    onboarding: { checklistHiddenAt: "2026-12-04T03:00:00.000Z" },
    publishing: { slots: [{ day: 0, time: "09:00" }], requireApproval: true },
    attribution: { model: "linear", windowDays: 14 },
    bounces: {
      returnPath: "bounces@ferns.example",
      mailbox: {
        enabled: true,
        host: "imap.ferns.example",
        port: 993,
        security: "tls",
        username: "bounces",
        passwordSealed: "sealed-bytes",
        folder: "INBOX",
      },
    },
    bounceMailboxState: {
      mailboxKey: "imap.ferns.example|bounces|INBOX",
      uidValidity: "1",
      lastUid: 7,
      lastPolledAt: "2026-12-04T03:00:00.000Z",
      lastError: null,
      lastResult: { read: 1, bounces: 1, complaints: 0, replies: 0, ignored: 0 },
    },
    quietHours: { from: 21, to: 8 },
  };

  it.each(Object.keys(cases) as SettingsSection[])("%s", async (section) => {
    await setRaw(f.ws.id, { keep: "me", smtp: { url: "smtp://other.test" } });
    const value = cases[section];
    expect(await writeSettingsSection(h.db, f.ws.id, section, value as never)).toEqual(value);
    expect((await readWorkspaceSettings(h.db, f.ws.id))[section]).toEqual(value);
    const raw = await rawSettings(f.ws.id);
    expect(raw.keep).toBe("me");
    if (section !== "smtp") expect(raw.smtp).toEqual({ url: "smtp://other.test" });
    // Workspace B is untouched.
    expect((await readWorkspaceSettings(h.db, f.other.id))[section]).toBeUndefined();
    await writeSettingsSection(h.db, f.ws.id, section, null);
    expect((await readWorkspaceSettings(h.db, f.ws.id))[section]).toBeUndefined();
    expect((await rawSettings(f.ws.id)).keep).toBe("me");
  });

  it("refuses to write an invalid value, changing nothing", async () => {
    await setRaw(f.ws.id, { sender: SENDER });
    await expect(
      writeSettingsSection(h.db, f.ws.id, "sender", { ...SENDER, postalAddress: "short" }),
    ).rejects.toThrow(/postal address/);
    expect(await rawSettings(f.ws.id)).toEqual({ sender: SENDER });
  });

  it("writing the brand section drops the old top-level keys", async () => {
    await setRaw(f.ws.id, { brandVoice: "old", products: ["Old Mug"], keep: 1 });
    expect((await readWorkspaceSettings(h.db, f.ws.id)).brand?.brandVoice).toBe("old");
    await writeSettingsSection(h.db, f.ws.id, "brand", { brandVoice: "new", products: [] });
    expect(await rawSettings(f.ws.id)).toEqual({ keep: 1, brand: { brandVoice: "new", products: [] } });
  });
});

describe("migration 0020", () => {
  // A database of its own: the migration rewrites every workspace's settings. On PGlite runs the
  // run's migrated template (memoryTestDb); on PostgreSQL a scratch database. (A fresh in-memory
  // PGlite made here ran initdb in the test's process: 34 s in a slow CI run, past the timeout.)
  let mem: DbHandle;
  const scratch = usingPostgres ? scratchDatabase("mig0020") : undefined;
  beforeAll(async () => {
    if (!scratch) {
      mem = await memoryTestDb();
      return;
    }
    await scratch.create();
    mem = await withEnv({ DATABASE_URL: scratch.url }, () => openDb());
  });
  afterAll(async () => {
    await mem?.close();
    await scratch?.drop();
  });
  it("rewrites old-shaped rows into the sections, and is a no-op the second time", async () => {
    await mem.migrate();
    const [owner] = await mem.db
      .insert(users)
      .values({ email: "mig@example.test", name: "Mig" })
      .returning({ id: users.id });
    const insert = async (slug: string, settings: unknown) => {
      const [ws] = await mem.db
        .insert(workspaces)
        .values({ name: slug, slug, ownerId: owner!.id, settings: sql`${JSON.stringify(settings)}::jsonb` })
        .returning({ id: workspaces.id });
      return ws!.id;
    };
    const old = await insert("old-shape", {
      brandVoice: "Warm",
      products: ["Moon Mug", { name: "Sun Cup", price: 12, url: "" }],
      sender: { fromName: "Ferns", fromEmail: "hi@ferns.example", postalAddress: "1 Leaf Lane, Greenville" },
      smtp: { url: "smtp://mail.test" },
    });
    const notObject = await insert("not-object", ["x"]);
    const current = await insert("current", {
      brand: { brandVoice: "New", products: [] },
      brandVoice: "stale",
    });
    const read = async (id: string) =>
      (await mem.db.select({ s: workspaces.settings }).from(workspaces).where(eq(workspaces.id, id)))[0]!.s;

    await runMigration(mem.db, "0020");
    const expected = {
      brand: {
        brandVoice: "Warm",
        products: [{ name: "Moon Mug" }, { name: "Sun Cup", price: "12", url: "" }],
      },
      sender: { ...SENDER },
      smtp: { url: "smtp://mail.test" },
    };
    expect(await read(old)).toEqual(expected);
    expect(await read(notObject)).toEqual({});
    expect(await read(current)).toEqual({ brand: { brandVoice: "New", products: [] } });
    // What the app reads from the rewritten row is what it read from the old one.
    expect(parseWorkspaceSettings(await read(old))).toEqual(
      parseWorkspaceSettings({
        brandVoice: "Warm",
        products: ["Moon Mug", { name: "Sun Cup", price: 12, url: "" }],
        sender: {
          fromName: "Ferns",
          fromEmail: "hi@ferns.example",
          postalAddress: "1 Leaf Lane, Greenville",
        },
        smtp: { url: "smtp://mail.test" },
      }),
    );

    await runMigration(mem.db, "0020");
    expect(await read(old)).toEqual(expected);
  });
});
