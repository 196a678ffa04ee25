import { describe, expect, it } from "vitest";
import { nextFreeSlot, upcomingSlots } from "@/server/services/content/queue-slots";
import { publishingSettingsInput } from "@/server/services/workspaces/publishing-schemas";

const take = (gen: Iterable<Date>, n: number) => {
  const out: string[] = [];
  for (const d of gen) {
    out.push(d.toISOString());
    if (out.length === n) break;
  }
  return out;
};

describe("queue slots", () => {
  it("lists the weekly slots in order, in the zone's wall-clock time", () => {
    const slots = [
      { day: 4, time: "18:00" },
      { day: 0, time: "09:00" },
    ];
    // Thursday 2026-01-01 12:00 UTC, New York (UTC-5): Friday 18:00, then Monday 09:00.
    expect(take(upcomingSlots(slots, "America/New_York", new Date("2026-01-01T12:00:00Z"), 30), 3)).toEqual([
      "2026-01-02T23:00:00.000Z",
      "2026-01-05T14:00:00.000Z",
      "2026-01-09T23:00:00.000Z",
    ]);
  });

  it("a time the spring-forward skips becomes one real instant, and nothing is listed twice", () => {
    // Sunday 2026-03-29 in Berlin has no 02:30; both slots may not become two entries for one instant.
    const slots = [
      { day: 6, time: "02:30" },
      { day: 6, time: "03:30" },
    ];
    const got = take(upcomingSlots(slots, "Europe/Berlin", new Date("2026-03-28T12:00:00Z"), 1), 5);
    expect(new Set(got).size).toBe(got.length);
    expect(got.at(-1)).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    expect(got.every((iso) => iso.startsWith("2026-03-29T0"))).toBe(true);
  });

  it("skips taken slots and says null when all are taken or none exist", () => {
    const slots = [{ day: 0, time: "09:00" }];
    const now = new Date("2026-01-01T00:00:00Z");
    const first = nextFreeSlot({ slots, timeZone: "UTC", taken: [], now });
    expect(first?.toISOString()).toBe("2026-01-05T09:00:00.000Z");
    expect(nextFreeSlot({ slots, timeZone: "UTC", taken: [first!], now })?.toISOString()).toBe(
      "2026-01-12T09:00:00.000Z",
    );
    expect(nextFreeSlot({ slots: [], timeZone: "UTC", taken: [], now })).toBeNull();
    expect(nextFreeSlot({ slots, timeZone: "UTC", taken: [first!], now, horizonDays: 7 })).toBeNull();
  });

  it("validates and orders the settings", () => {
    expect(
      publishingSettingsInput.parse({
        slots: [
          { day: 3, time: "10:00" },
          { day: 1, time: "09:30" },
        ],
      }),
    ).toEqual({
      slots: [
        { day: 1, time: "09:30" },
        { day: 3, time: "10:00" },
      ],
      requireApproval: false,
    });
    expect(publishingSettingsInput.safeParse({ slots: [{ day: 7, time: "10:00" }] }).success).toBe(false);
    expect(publishingSettingsInput.safeParse({ slots: [{ day: 1, time: "9:00" }] }).success).toBe(false);
  });
});
