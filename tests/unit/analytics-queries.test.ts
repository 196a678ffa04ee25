import { describe, expect, it } from "vitest";
import { emailFigures } from "@/server/services/analytics/queries/email";
import { mondayOf } from "@/server/services/analytics/queries/leads";
import { mainCurrency } from "@/server/services/analytics/queries/revenue-by-currency";

describe("analytics queries: the pure parts", () => {
  it("mainCurrency: most orders this period, else last period, never the blank currency", () => {
    const c = (currency: string, orders: number, prev_orders = 0) => ({ currency, orders, prev_orders });
    expect(mainCurrency([c("", 9), c("EUR", 3), c("USD", 1)])).toBe("EUR");
    expect(mainCurrency([c("USD", 0, 2), c("EUR", 0, 0)])).toBe("USD");
    expect(mainCurrency([c("GBP", 0), c("EUR", 0)])).toBe("GBP");
    expect(mainCurrency([c("", 4)])).toBeNull();
    expect(mainCurrency([])).toBeNull();
  });

  it("mondayOf: the Monday of a day's ISO week", () => {
    expect(mondayOf("2026-03-04")).toBe("2026-03-02"); // a Wednesday
    expect(mondayOf("2026-03-02")).toBe("2026-03-02");
    expect(mondayOf("2026-03-01")).toBe("2026-02-23"); // a Sunday belongs to the week before
  });

  it("emailFigures: delivered is what a mail server accepted, the rest only reached the outbox; rates over sent", () => {
    expect(
      emailFigures({
        sent: 10,
        bounces: 2,
        delivered_events: 5,
        unique_opens: 4,
        unique_clicks: 1,
        complaints: 1,
      }),
    ).toMatchObject({
      sent: 10,
      delivered: 5,
      inOutbox: 5,
      openRate: 0.4,
      clickRate: 0.1,
      complaintRate: 0.1,
    });
    expect(emailFigures({})).toMatchObject({ sent: 0, delivered: 0, openRate: null, clickRate: null });
  });
});
