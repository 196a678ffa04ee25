import { describe, expect, it, vi } from "vitest";

describe("PublishError", () => {
  it("is recognised across two copies of its module, as a production build may hold", async () => {
    const a = await import("@/server/services/content/publisher");
    vi.resetModules();
    const b = await import("@/server/services/content/publisher");
    expect(a.PublishError).not.toBe(b.PublishError);
    const permanent = new b.PublishError("TikTok could not publish the video", false);
    expect(permanent instanceof a.PublishError).toBe(true);
    expect(permanent.retryable).toBe(false);
    expect(new Error("other") instanceof a.PublishError).toBe(false);
    const nothing: unknown = null;
    expect(nothing instanceof a.PublishError).toBe(false);
  });
});
