import { describe, expect, it } from "vitest";
import { scheduleLocalInput } from "@/server/services/email/send-time-schemas";
import { amazonAttributionSummaryInput } from "@/server/services/integrations/amazon-ads/schemas";

/*
 * A date a person or a client types that is shaped right but is no day of the calendar (2026-02-30)
 * is a 400 with a message, not a 500 from the database (found by the hostile-input property test on
 * amazonAds.summary). Date.parse rolls such a date over to March, so the check is Zod's ISO date.
 * (Segment rules check their dates where they are saved and read: tests/integration/segment-dates.)
 */
const id = "00000000-0000-4000-8000-000000000000";

describe("calendar dates in inputs", () => {
  it("refuses a day that does not exist and takes a leap day", () => {
    for (const [day, ok] of [
      ["2026-02-30", false],
      ["2026-04-31", false],
      ["2025-02-29", false],
      ["2024-02-29", true],
      ["2026-12-31", true],
    ] as const) {
      expect(amazonAttributionSummaryInput.safeParse({ from: "2024-01-01", to: day }).success, day).toBe(
        ok && day < "2025-01-01",
      );
      expect(amazonAttributionSummaryInput.safeParse({ from: day, to: day }).success, day).toBe(ok);
      expect(scheduleLocalInput.safeParse({ id, date: day, time: "09:00" }).success, day).toBe(ok);
    }
  });
});
