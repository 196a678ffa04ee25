import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { CsvReader, type CsvRow, readCsvBatches } from "@/server/services/leads-import/parse";
import { arrayLiteral, copyField, EmailHashSet } from "@/server/services/leads-import/staging";

const CASES: [string, "," | ";" | "\t"][] = [
  ['\uFEFFa,b\r\n1,"x,\r\ny"\r\n\r\n2,"q""z"\r\n', ","],
  ['a;b\n\n"1;2";3\n  \n4;5', ";"],
  ['a,b\r"x\ny",2\r3,4\r', ","],
  ['a,b\n1,\n"",x\n1,2,3,4\n', ","],
  ['a,b\n"x"y,2\nab"c,3\n', ","],
  ['a\tb\n"é\t😀"\tß\n,\n', "\t"],
];

function readAll(parts: string[], d: "," | ";" | "\t"): CsvRow[] {
  const r = new CsvReader(d);
  const out: CsvRow[] = [];
  parts.forEach((p, i) => {
    r.push(p, out, i === parts.length - 1);
  });
  return out;
}

describe("CsvReader", () => {
  it.each(CASES)("reads %j like csv-parse, however the text is split", (text, d) => {
    const expected = parse(text, {
      delimiter: d,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
    }) as string[][];
    for (let a = 0; a <= text.length; a++) {
      for (let b = a; b <= text.length; b++) {
        const got = readAll([text.slice(0, a), text.slice(a, b), text.slice(b)], d).map((r) => r.record);
        expect(got, `split at ${a}, ${b}`).toEqual(expected);
      }
    }
  });

  it("gives the line each record starts on (quoted line breaks and empty lines counted)", () => {
    expect(readAll([CASES[0]![0]], ",").map((r) => r.line)).toEqual([1, 2, 5]);
    expect(readAll([CASES[2]![0]], ",").map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("refuses a quote that is never closed, naming its line", () => {
    expect(() => readAll(['a,b\n1,2\n"open,3\n4,5\n'], ",")).toThrow(/starts on line 3 is never closed/);
  });

  it("decodes UTF-8 split across chunks, BOM included", async () => {
    const bytes = Buffer.from("\uFEFFemail,name\nzoë@example.com,Zoë 😀\n");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const rows: CsvRow[] = [];
    let last = 0;
    for await (const batch of readCsvBatches(Readable.from(chunks), ",")) {
      rows.push(...batch.rows);
      last = batch.bytes;
    }
    expect(rows.map((r) => r.record)).toEqual([
      ["email", "name"],
      ["zoë@example.com", "Zoë 😀"],
    ]);
    expect(last).toBe(bytes.length);
  });
});

describe("COPY text format", () => {
  it("escapes backslashes, tabs and line breaks; NULL is \\N", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField("plain")).toBe("plain");
    expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
  });
  it("quotes array elements that need it", () => {
    expect(arrayLiteral([])).toBe("{}");
    expect(arrayLiteral(["a", "b c", 'q"x', "back\\slash", "{x}", "NULL", "x,y"])).toBe(
      '{a,"b c","q\\"x","back\\\\slash","{x}","NULL","x,y"}',
    );
  });
});

describe("EmailHashSet", () => {
  it("flags every repeat and (almost) nothing else, across growth", () => {
    const set = new EmailHashSet(16);
    let falseHits = 0;
    for (let i = 0; i < 200_000; i++) if (set.addAndCheck(`person${i}@example.com`)) falseHits++;
    expect(falseHits).toBe(0);
    for (let i = 0; i < 200_000; i += 997) expect(set.addAndCheck(`person${i}@example.com`)).toBe(true);
  });
});
