import { describe, expect, it } from "vitest";
import {
  applyMapping,
  compileMapping,
  splitTags,
  suggestMapping,
} from "@/server/services/leads-import/mapping";
import { detectDelimiter, sniffCsv, uniqueHeaders } from "@/server/services/leads-import/parse";

describe("suggestMapping", () => {
  it("maps Mailchimp-style headers", () => {
    expect(suggestMapping(["Email Address", "First Name", "Last Name", "TAGS", "Source"], [])).toEqual({
      email: "Email Address",
      name: ["First Name", "Last Name"],
      tags: "TAGS",
      source: "Source",
      custom: {},
    });
  });
  it("maps E-mail, Name and custom fields by key or label", () => {
    const defs = [
      { key: "plan", label: "Plan" },
      { key: "company_size", label: "Company size" },
    ];
    expect(suggestMapping(["E-mail", "Name", "plan", "Company Size"], defs)).toEqual({
      email: "E-mail",
      name: "Name",
      custom: { plan: "plan", company_size: "Company Size" },
    });
  });
  it("leaves email empty when no column looks like one", () => {
    expect(suggestMapping(["id", "phone"], []).email).toBe("");
  });
});

describe("compileMapping / applyMapping", () => {
  const headers = ["Email", "First", "Last", "Tags", "Plan"];
  it("joins first and last names and splits tags on , and ;", () => {
    const m = compileMapping(
      headers,
      { email: "Email", name: ["First", "Last"], tags: "Tags", custom: { plan: "Plan" } },
      [{ key: "plan" }],
    );
    expect(applyMapping(["a@b.co", " Ada ", "Lovelace", "x, y;z", "pro"], m)).toEqual({
      email: "a@b.co",
      name: "Ada Lovelace",
      tags: ["x", " y", "z"],
      source: "",
      custom: { plan: "pro" },
    });
  });
  it("refuses unknown columns and custom fields", () => {
    expect(() => compileMapping(headers, { email: "Mail" }, [])).toThrow(/no column "Mail"/);
    expect(() => compileMapping(headers, { email: "Email", custom: { nope: "Plan" } }, [])).toThrow(
      /no custom field/,
    );
  });
  it("splitTags handles empty cells", () => {
    expect(splitTags("")).toEqual([]);
  });
});

describe("sniffCsv", () => {
  it("detects delimiters outside quotes", () => {
    expect(detectDelimiter('"a,b";c;d')).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter("email")).toBe(",");
  });
  it("strips a BOM and names blank and repeated headers", () => {
    expect(sniffCsv(Buffer.from("\uFEFFEmail,,Email\r\n")).headers).toEqual([
      "Email",
      "Column 2",
      "Email (2)",
    ]);
    expect(uniqueHeaders(["a", "A"])).toEqual(["a", "A (2)"]);
  });
  it("refuses files that are not CSV", () => {
    expect(() => sniffCsv(Buffer.alloc(0))).toThrow(/empty/);
    expect(() => sniffCsv(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toThrow(/binary/);
    expect(() => sniffCsv(Buffer.from("<html><body>x</body></html>"))).toThrow(/web page/);
    expect(() => sniffCsv(Buffer.from("a@b.co,Ann\n"))).toThrow(/no line of column names/);
    expect(() => sniffCsv(Buffer.from("names\nAnn\n"))).toThrow(/single column/);
    expect(sniffCsv(Buffer.from("Email\na@b.co\n")).headers).toEqual(["Email"]);
  });
});
