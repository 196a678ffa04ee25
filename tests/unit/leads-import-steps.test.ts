import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { compileMapping } from "@/server/services/leads-import/mapping";
import type { MergeChunk } from "@/server/services/leads-import/merge";
import { uuidV7Prefix } from "@/server/services/leads-import/merge";
import { MergePipeline } from "@/server/services/leads-import/merge-pipeline";
import { readPreviewRows } from "@/server/services/leads-import/preview";
import { throttledProgress } from "@/server/services/leads-import/progress";
import { rowChecker } from "@/server/services/leads-import/stage-row";
import { EmailHashSet } from "@/server/services/leads-import/staging";
import { cappedRest, ImportFileTooLargeError, readFirstBytes } from "@/server/services/leads-import/upload";

const headers = ["Email", "First", "Last", "Tags", "Source", "Plan"];
const defs = [{ key: "plan", label: "Plan", type: "select" as const, options: ["free", "pro"] }];

function checker(applyTags: string[] = [], defaultSource = "") {
  const mapping = compileMapping(
    headers,
    { email: "Email", name: ["First", "Last"], tags: "Tags", source: "Source", custom: { plan: "Plan" } },
    defs,
  );
  return rowChecker({ mapping, defs, applyTags, defaultSource, seen: new EmailHashSet() });
}

describe("stage-row: rowChecker", () => {
  it("stages a valid row with clean values and no cells kept", () => {
    const row = checker(["vip"], "import")(["  Ada@Example.COM ", "Ada", " Lovelace", "a; b", "", "pro"], 2);
    expect(row).toEqual({
      row: 2,
      email: "ada@example.com",
      name: "Ada Lovelace",
      tags: ["vip", "a", "b"],
      source: "import",
      custom: { plan: "pro" },
      customJson: '{"plan":"pro"}',
      reason: null,
      raw: null,
    });
  });

  it("rejects a bad email, a long name and a bad custom value, keeping the cells", () => {
    const check = checker();
    expect(check(["not-an-email", "A", "", "", "", ""], 3)).toMatchObject({
      email: null,
      reason: expect.stringMatching(/email/i),
      raw: JSON.stringify(["not-an-email", "A", "", "", "", ""]),
    });
    expect(check(["b@example.com", "x".repeat(256), "", "", "", ""], 4).reason).toBe(
      "Name is longer than 255 characters",
    );
    const plan = check(["c@example.com", "", "", "", "", "gold"], 5);
    expect(plan.reason).toMatch(/plan|Plan/);
    expect(plan.email).toBeNull();
  });

  it("keeps the cells of a valid row whose email was seen before (a possible duplicate), NULs stripped", () => {
    const check = checker();
    expect(check(["d@example.com", "", "", "", "", ""], 2).raw).toBeNull();
    const again = check(["D@example.com", "Dup\u0000", "", "", "", ""], 3);
    expect(again.reason).toBeNull();
    expect(again.name).toBe("Dup");
    expect(again.raw).toBe(JSON.stringify(["D@example.com", "Dup", "", "", "", ""]));
  });

  it("an empty custom cell leaves the value out; an invalid row does not count as seen", () => {
    const check = checker();
    expect(check(["e@example.com", "", "", "", "", ""], 2)).toMatchObject({ custom: null, customJson: null });
    expect(check(["f@example.com", "", "", "", "", "gold"], 3).reason).not.toBeNull();
    expect(check(["f@example.com", "", "", "", "", "free"], 4)).toMatchObject({ reason: null, raw: null });
  });
});

describe("progress: throttledProgress", () => {
  it("reports whole percentages under 100, never backwards, at most once a second when unchanged", async () => {
    let clock = 0;
    const seen: number[] = [];
    const progress = throttledProgress(
      async (p) => {
        seen.push(p);
      },
      () => clock,
    );
    await progress(12.7);
    await progress(12.9); // same percentage within a second: dropped
    await progress(5); // backwards within a second: dropped
    clock = 1500;
    await progress(5); // a second later: repeats the furthest so far
    await progress(150);
    expect(seen).toEqual([12, 12, 99]);
  });
});

describe("merge: uuidV7Prefix", () => {
  it("is 24 hex digits: the millisecond clock, version 7 and an RFC 4122 variant", () => {
    const prefix = uuidV7Prefix(0x0190_1234_5678);
    expect(prefix).toMatch(/^0190123456787[0-9a-f]{3}[89ab][0-9a-f]{7}$/);
    // As the merge completes it (in SQL) with the row number: a valid version-7 UUID.
    const hex = `${prefix}${(42).toString(16).padStart(8, "0")}`;
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("merge-pipeline: MergePipeline", () => {
  const chunk = (n: number): MergeChunk => ({
    firstRow: n,
    lastRow: n,
    plain: 1,
    fromBlock: 0,
    toBlock: 1,
    bytes: n * 10,
  });

  it("merges every chunk once across the connections and reports the bytes merged", async () => {
    const merged: [string, number][] = [];
    const reports: [number, number][] = [];
    const pipeline = new MergePipeline(
      async (q, c) => {
        await new Promise((r) => setTimeout(r, 1));
        merged.push([(q as unknown as { name: string }).name, c.firstRow]);
      },
      async (staged, done) => {
        reports.push([staged, done]);
      },
    );
    const conn = (name: string) => ({ name, query: async () => [] }) as never;
    pipeline.start([conn("a"), conn("b")]);
    for (let i = 1; i <= 5; i++) pipeline.push(chunk(i));
    await pipeline.staged(60);
    await pipeline.finish();
    expect(merged.map(([, row]) => row).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(merged.map(([name]) => name))).toEqual(new Set(["a", "b"]));
    expect(reports.at(-1)).toEqual([60, 50]);
  });

  it("a failed merge surfaces in throwIfFailed and finish", async () => {
    const pipeline = new MergePipeline(
      async (_q, c) => {
        if (c.firstRow === 2) throw new Error("merge broke");
      },
      async () => {},
    );
    pipeline.start([{ query: async () => [] } as never]);
    pipeline.push(chunk(1));
    pipeline.push(chunk(2));
    await new Promise((r) => setTimeout(r, 5));
    expect(() => pipeline.throwIfFailed()).toThrow("merge broke");
    await expect(pipeline.finish()).rejects.toThrow("merge broke");
  });

  it("abort stops idle connections without merging what is left", async () => {
    let calls = 0;
    const pipeline = new MergePipeline(
      async () => {
        calls++;
      },
      async () => {},
    );
    pipeline.start([{ query: async () => [] } as never]);
    await pipeline.abort(new Error("file broke"));
    pipeline.push(chunk(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBe(0);
    expect(() => pipeline.throwIfFailed()).toThrow("file broke");
  });
});

describe("upload: readFirstBytes / cappedRest", () => {
  const chunks = (...parts: string[]) =>
    Readable.from(parts.map((p) => Buffer.from(p)))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  it("reads whole chunks until it has enough, and says when the stream ended", async () => {
    expect(await readFirstBytes(chunks("ab", "cd", "ef"), 3)).toEqual({
      first: Buffer.from("abcd"),
      ended: false,
    });
    expect(await readFirstBytes(chunks("ab"), 3)).toEqual({ first: Buffer.from("ab"), ended: true });
  });

  it("passes the rest through under the cap and fails past it", async () => {
    const text = async (r: Readable) => {
      const parts: Buffer[] = [];
      for await (const p of r) parts.push(p as Buffer);
      return Buffer.concat(parts).toString();
    };
    const it1 = chunks("ab", "cd", "ef");
    const { first } = await readFirstBytes(it1, 2);
    expect(await text(cappedRest(first, it1, 6))).toBe("abcdef");
    const it2 = chunks("ab", "cd", "ef");
    const head = await readFirstBytes(it2, 2);
    await expect(text(cappedRest(head.first, it2, 5))).rejects.toBeInstanceOf(ImportFileTooLargeError);
  });
});

describe("preview: readPreviewRows", () => {
  it("skips blank lines, pads short rows to the headers and stops at the limit", async () => {
    const csv = "a,b,a\n\n1,2,3\n4\n,,\n5,6,7\n8,9,10\n";
    const { headers, rows } = await readPreviewRows(Readable.from([Buffer.from(csv)]), { delimiter: "," }, 2);
    expect(headers).toEqual(["a", "b", "a (2)"]);
    expect(rows).toEqual([
      ["1", "2", "3"],
      ["4", "", ""],
    ]);
  });
});
