import { describe, expect, it } from "vitest";
import { countryTimeZone, resolveLeadTimeZone, validTimeZone } from "@/lib/lead-time-zone";
import { inQuietHours, localSendSpan, quietHoursEnd } from "@/server/services/email/quiet-hours";

describe("validTimeZone", () => {
  it("keeps IANA names, in their canonical spelling", () => {
    expect(validTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(validTimeZone(" asia/tokyo ")).toBe("Asia/Tokyo");
    expect(validTimeZone("US/Eastern")).toBe("America/New_York");
    expect(validTimeZone("UTC")).toBe("UTC");
  });

  it("refuses what names no zone", () => {
    for (const bad of [
      "Mars/Olympus",
      "+09:00",
      "",
      "   ",
      "Asia/Tokyo; drop table",
      "a".repeat(80),
      9,
      null,
      {},
    ])
      expect(validTimeZone(bad)).toBeNull();
  });
});

describe("countryTimeZone", () => {
  it("maps ISO codes and English names to the country's main zone", () => {
    expect(countryTimeZone("DE")).toBe("Europe/Berlin");
    expect(countryTimeZone("de")).toBe("Europe/Berlin");
    expect(countryTimeZone("Germany")).toBe("Europe/Berlin");
    expect(countryTimeZone("JP")).toBe("Asia/Tokyo");
    expect(countryTimeZone("United States")).toBe("America/New_York");
    expect(countryTimeZone("US")).toBe("America/New_York");
    expect(countryTimeZone("united kingdom")).toBe("Europe/London");
    expect(countryTimeZone("UK")).toBe("Europe/London");
    expect(countryTimeZone("Australia")).toBe("Australia/Sydney");
    expect(countryTimeZone("FR")).toBe("Europe/Paris");
  });

  it("knows nothing of made-up countries", () => {
    expect(countryTimeZone("XX")).toBeNull();
    expect(countryTimeZone("Atlantis")).toBeNull();
    expect(countryTimeZone(42)).toBeNull();
  });
});

describe("resolveLeadTimeZone", () => {
  it("an explicit zone wins over the country", () => {
    expect(resolveLeadTimeZone({ customFields: { timezone: "Asia/Tokyo", country: "DE" } })).toBe(
      "Asia/Tokyo",
    );
    expect(
      resolveLeadTimeZone({ explicit: ["America/New_York"], customFields: { timezone: "Asia/Tokyo" } }),
    ).toBe("America/New_York");
  });

  it("an invalid explicit zone is skipped, then the country counts", () => {
    expect(
      resolveLeadTimeZone({
        explicit: ["Nowhere/Land"],
        customFields: { timezone: "+02:00", country: "DE" },
      }),
    ).toBe("Europe/Berlin");
    expect(resolveLeadTimeZone({ explicit: ["Nowhere/Land"], customFields: { timezone: "bad" } })).toBeNull();
    expect(resolveLeadTimeZone({})).toBeNull();
  });

  it("a zone the database does not know is not used", () => {
    expect(
      resolveLeadTimeZone(
        { customFields: { timezone: "Asia/Tokyo", country: "DE" } },
        (z) => z !== "Asia/Tokyo",
      ),
    ).toBe("Europe/Berlin");
  });
});

describe("quiet hours", () => {
  const q = { from: 21, to: 8 };

  it("spans midnight when from > to", () => {
    expect(inQuietHours(q, "UTC", new Date("2026-12-10T20:59:00Z"))).toBe(false);
    expect(inQuietHours(q, "UTC", new Date("2026-12-10T21:00:00Z"))).toBe(true);
    expect(inQuietHours(q, "UTC", new Date("2026-12-11T07:59:00Z"))).toBe(true);
    expect(inQuietHours(q, "UTC", new Date("2026-12-11T08:00:00Z"))).toBe(false);
    expect(inQuietHours({ from: 12, to: 14 }, "UTC", new Date("2026-12-11T13:00:00Z"))).toBe(true);
    expect(inQuietHours({ from: 12, to: 14 }, "UTC", new Date("2026-12-11T14:00:00Z"))).toBe(false);
  });

  it("ends at the next `to` hour of the zone's clock", () => {
    // 23:00 in Berlin (CET) → 08:00 Berlin the next morning = 07:00 UTC.
    expect(quietHoursEnd(q, "Europe/Berlin", new Date("2026-12-10T22:00:00Z"))?.toISOString()).toBe(
      "2026-12-11T07:00:00.000Z",
    );
    // 03:00 in Berlin → 08:00 the same morning.
    expect(quietHoursEnd(q, "Europe/Berlin", new Date("2026-12-11T02:00:00Z"))?.toISOString()).toBe(
      "2026-12-11T07:00:00.000Z",
    );
    // The night the clocks go forward (29 March 2026): 08:00 CEST = 06:00 UTC.
    expect(quietHoursEnd(q, "Europe/Berlin", new Date("2026-03-28T22:00:00Z"))?.toISOString()).toBe(
      "2026-03-29T06:00:00.000Z",
    );
    expect(quietHoursEnd(q, "Europe/Berlin", new Date("2026-12-11T12:00:00Z"))).toBeNull();
  });
});

describe("localSendSpan", () => {
  it("runs from UTC+14 to UTC−12", () => {
    const span = localSendSpan("2026-12-10", "09:00");
    expect(span?.first.toISOString()).toBe("2026-12-09T19:00:00.000Z");
    expect(span?.last.toISOString()).toBe("2026-12-10T21:00:00.000Z");
    expect(localSendSpan("2026-02-31", "09:00")).toBeNull();
  });
});
