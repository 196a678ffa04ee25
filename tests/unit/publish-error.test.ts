import { describe, expect, it } from "vitest";

describe("PublishError", () => {
  it("is recognised across two copies of its module, as a production build may hold", async () => {
    const a = await import("@/server/services/content/publisher");
    // A second copy under another module id (not vi.resetModules, which would swap the modules of
    // every file that runs after this one in the same worker).
    const b: typeof a = await import(/* @vite-ignore */ `${"@/server/services/content/publisher"}?copy=2`);
    expect(a.PublishError).not.toBe(b.PublishError);
    const permanent = new b.PublishError("TikTok could not publish the video", false);
    expect(permanent instanceof a.PublishError).toBe(true);
    expect(permanent.retryable).toBe(false);
    expect(new Error("other") instanceof a.PublishError).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof a.PublishError).toBe(false);
  });
});
