import { randomUUID } from "node:crypto";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compileSegmentCriteria, escapeLike } from "@/server/services/segments/compile";
import { type SegmentCriteria, segmentCriteriaSchema } from "@/server/services/segments/criteria-schemas";
import { criteriaProblems } from "@/server/services/segments/schemas";

const dialect = new PgDialect();
const ws = randomUUID();
const compile = (c: unknown) =>
  dialect.sqlToQuery(compileSegmentCriteria(segmentCriteriaSchema.parse(c), { workspaceId: ws }));

const HOSTILE = ["O'Brien", "100%", "a_b", "'; drop table leads; --", "\\", 'x" or "1"="1', "ünï😀ødé"];

describe("compileSegmentCriteria", () => {
  it("matches every lead when there are no conditions", () => {
    expect(compile({ match: "all", conditions: [] }).sql).toBe("true");
    expect(compile({ match: "any", conditions: [] }).sql).toBe("true");
  });

  it.each(HOSTILE)("binds hostile value %j as a parameter, never in the SQL text", (value) => {
    const q = compile({
      match: "any",
      conditions: [
        { field: "tag", op: "has", value },
        { field: "source", op: "is", value },
        { field: "source", op: "contains", value },
        { field: "custom", key: "company", op: "equals", value },
        { field: "custom", key: "company", op: "contains", value },
        { field: "custom", key: "company", op: "greater_than", value },
      ],
    });
    expect(q.sql).not.toContain(value);
    expect(q.sql).not.toMatch(/drop table/i);
    expect(q.params).toContain(value);
  });

  it("escapes LIKE wildcards in contains", () => {
    expect(escapeLike("100%_\\x")).toBe("100\\%\\_\\\\x");
    const q = compile({ conditions: [{ field: "source", op: "contains", value: "50%_off" }] });
    expect(q.params).toContain("%50\\%\\_off%");
    expect(q.sql).toMatch(/ilike \$\d+/);
  });

  it("passes custom field keys as parameters and casts numbers safely", () => {
    const q = compile({ conditions: [{ field: "custom", key: "score", op: "greater_than", value: 1e308 }] });
    expect(q.sql).not.toContain("score");
    expect(q.params).toContain("score");
    expect(q.params).toContain("1e+308");
    expect(q.sql).toMatch(/case when .* ~ \$\d+ then .*::numeric end/);
  });

  it("scopes engagement subqueries to the workspace and to human events", () => {
    const campaign = randomUUID();
    const q = compile({ conditions: [{ field: "engagement", op: "opened_campaign", value: campaign }] });
    expect(q.params).toEqual(expect.arrayContaining([ws, campaign, "open"]));
    expect(q.sql).toMatch(/"is_machine" = false/);
  });

  it("joins with and/or per match", () => {
    const conditions = [
      { field: "tag", op: "has", value: "a" },
      { field: "status", op: "is", value: "active" },
    ];
    expect(compile({ match: "all", conditions }).sql).toMatch(/\) and \(/);
    expect(compile({ match: "any", conditions }).sql).toMatch(/\) or \(/);
  });

  it("reports values of the wrong kind for their operator, and compiles them to match nothing", () => {
    const c: SegmentCriteria = {
      match: "all",
      conditions: [
        { field: "created", op: "within_days", value: "2026-01-01" },
        { field: "engagement", op: "opened_campaign", value: 5 },
      ],
    };
    expect(criteriaProblems(c)).toEqual([
      "Condition 1: enter a number of days",
      "Condition 2: pick a campaign",
    ]);
    expect(dialect.sqlToQuery(compileSegmentCriteria(c, { workspaceId: ws })).sql).toBe("(false and false)");
  });

  it("refuses keys that are not identifiers at the schema", () => {
    expect(
      segmentCriteriaSchema.safeParse({
        conditions: [{ field: "custom", key: "a'; drop", op: "equals", value: "x" }],
      }).success,
    ).toBe(false);
  });
});
