import { describe, expect, it } from "vitest";
import { guessFieldType, keptColumns, planOtherColumns, unmappedHeaders } from "@/lib/import-columns";

describe("guessFieldType", () => {
  it("is text unless every non-empty sample cell is clearly a number or a date", () => {
    expect(guessFieldType("Seats", ["12", "", "1,200", "3.5"])).toBe("number");
    expect(guessFieldType("Joined", ["2026-01-02", "2024-02-29"])).toBe("date");
    expect(guessFieldType("Joined", ["2026-02-30"])).toBe("text");
    expect(guessFieldType("Company", ["Acme", "12"])).toBe("text");
    expect(guessFieldType("Empty", ["", " "])).toBe("text");
    // Leading zeros, long digit runs and code-like headers stay text.
    expect(guessFieldType("Reference", ["00123"])).toBe("text");
    expect(guessFieldType("Card", ["1234567890123456"])).toBe("text");
    expect(guessFieldType("Zip", ["90210"])).toBe("text");
    expect(guessFieldType("Phone number", ["5551234"])).toBe("text");
    expect(guessFieldType("customer_id", ["42"])).toBe("text");
    expect(guessFieldType("Paid", ["42"])).toBe("number");
  });
});

describe("planOtherColumns", () => {
  const headers = ["Email", "Name", "Company", "Seats", "Company!", "Notes"];
  const rows = [["a@x.test", "A", "Acme", "3", "dup", "hi"]];
  const mapping = { email: "Email", name: "Name" };

  it("keeps every column no field takes, reuses a field with the same key, ignores on request", () => {
    const cols = planOtherColumns({
      headers,
      rows,
      mapping,
      fields: [{ key: "company", label: "Organisation", type: "text" }],
      ignored: new Set(["Notes"]),
      types: {},
    });
    expect(unmappedHeaders(headers, mapping)).toEqual(["Company", "Seats", "Company!", "Notes"]);
    expect(cols.map((c) => [c.header, c.key, c.fieldLabel, c.type, c.existing, c.keep])).toEqual([
      ["Company", "company", "Organisation", "text", true, true],
      ["Seats", "seats", "Seats", "number", false, true],
      // Same key as "Company": it would fill the same field, so it is ignored with the reason.
      ["Company!", "company", "Organisation", "text", true, false],
      ["Notes", "notes", "Notes", "text", false, false],
    ]);
    expect(cols[2]?.conflict).toMatch(/Company/);
    expect(keptColumns(cols)).toEqual([
      { header: "Company", label: "Company", type: "text" },
      { header: "Seats", label: "Seats", type: "number" },
    ]);
  });

  it("a column mapped to a custom field is not offered, and a chosen type wins over the guess", () => {
    const cols = planOtherColumns({
      headers,
      rows,
      mapping: { ...mapping, custom: { company: "Company" } },
      fields: [{ key: "company", label: "Company", type: "text" }],
      ignored: new Set(),
      types: { Seats: "text" },
    });
    expect(cols.map((c) => [c.header, c.type, c.keep])).toEqual([
      ["Seats", "text", true],
      ["Company!", "text", false],
      ["Notes", "text", true],
    ]);
  });
});
