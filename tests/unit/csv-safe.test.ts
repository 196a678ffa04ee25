import { describe, expect, it } from "vitest";
import { toCsv } from "@/components/analytics/csv";

/** Issue #12 item 11: the analytics CSV export let +1, -2, tab- and CR-led text through as formulas. */
describe("analytics CSV export", () => {
  it("neutralises formula-led text like the leads export, and keeps numbers numbers", () => {
    const hostile = ['=HYPERLINK("http://evil.test","x")', "+1", "-2", "@x", "\tcmd", "\rcmd"];
    const csv = toCsv(
      hostile.map((title, i) => ({ title, views: -i })),
      [
        { header: "Title", value: (r) => r.title },
        { header: "Views", value: (r) => r.views },
      ],
    );
    expect(csv.split("\r\n")).toEqual([
      "Title,Views",
      `"'=HYPERLINK(""http://evil.test"",""x"")",0`,
      "'+1,-1",
      "'-2,-2",
      "'@x,-3",
      "'\tcmd,-4",
      `"'\rcmd",-5`,
      "",
    ]);
  });

  it("a numeric column's decimal text stays a number", () => {
    const csv = toCsv(
      [{ revenue: "-12.50" }, { revenue: "-1+1" }],
      [{ header: "Revenue", value: (r) => r.revenue, numeric: true }],
    );
    expect(csv).toBe("Revenue\r\n-12.50\r\n'-1+1\r\n");
  });
});
