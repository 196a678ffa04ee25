import fs from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

/*
 * The Node.js versions Organic supports (package.json "engines", stated in the README) are the ones
 * every installed package supports: this fails when a dependency raises its floor above ours, or
 * when the range claims a version one of them refuses.
 */

const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
const range: string = pkg.engines.node;

/** Test-only packages allowed a narrower range, each with why it does not matter to a user. */
const TEST_ONLY_EXCEPTIONS: Record<string, string> = {
  "node_modules/dns2": "the DNS stand-in of the sender-domain tests; runs on Node 20 (CI), declares >=22",
};

/** The lowest release of each major line the range admits. */
function floors(r: string): string[] {
  return [20, 22, 24, 26]
    .map((major) =>
      semver.minSatisfying(
        Array.from({ length: 40 }, (_, minor) => `${major}.${minor}.0`),
        r,
      ),
    )
    .filter((v): v is string => v !== null);
}

describe("supported Node.js versions", () => {
  it("the running Node is in the range", () => {
    expect(semver.satisfies(process.version, range), `${process.version} vs ${range}`).toBe(true);
  });

  it("the README states the same range", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    expect(readme).toContain(`Node.js ${range.replaceAll(" || ", " or ")}`);
  });

  it("the Docker image's Node line is in the range", () => {
    const dockerfile = fs.readFileSync(path.join(root, "Dockerfile"), "utf8");
    const majors = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => m[1]);
    expect(majors.length).toBeGreaterThan(0);
    // The image tag tracks the line's newest release, which the range must admit.
    for (const major of majors)
      expect(semver.intersects(`>=${major}.13.0 <${Number(major) + 1}`, range)).toBe(true);
  });

  it("every installed package supports the lowest version of each line the range admits", () => {
    const lows = floors(range);
    expect(lows.length).toBeGreaterThanOrEqual(2);
    const refused: string[] = [];
    for (const [name, entry] of Object.entries<{ engines?: { node?: string }; optional?: boolean }>(
      lock.packages,
    )) {
      const wants = entry.engines?.node;
      if (!name || !wants || entry.optional || TEST_ONLY_EXCEPTIONS[name]) continue;
      for (const v of lows) if (!semver.satisfies(v, wants)) refused.push(`${name} (${wants}) refuses ${v}`);
    }
    expect(refused).toEqual([]);
  });
});
