import { describe, expect, it } from "vitest";
import { tokenSecrets } from "@/server/integrations/tiktok/token-store";
import { privacyWords } from "@/server/services/integrations/tiktok/creator-info";
import { describeFailReason, tiktokPostUrl } from "@/server/services/integrations/tiktok/publish-state";

describe("tiktok: config", () => {
  it("tokenSecrets keeps the newest refresh token and fills gaps from the previous secrets", () => {
    const first = tokenSecrets({
      access_token: "a1",
      refresh_token: "r1",
      expires_in: 86_400,
      refresh_expires_in: 3600,
      open_id: "open-1",
      scope: "video.publish",
    } as never);
    expect(first).toMatchObject({
      accessToken: "a1",
      refreshToken: "r1",
      openId: "open-1",
      scope: "video.publish",
    });
    expect(Date.parse(first.refreshExpiresAt!)).toBeGreaterThan(Date.now());
    const next = tokenSecrets({ access_token: "a2", refresh_token: "", expires_in: 86_400 } as never, first);
    expect(next).toEqual({ ...first, accessToken: "a2" });
  });
});

describe("tiktok: publish state", () => {
  it("describeFailReason words TikTok's codes and keeps unknown ones", () => {
    expect(describeFailReason("spam_risk_too_many_posts")).toBe(
      "the account posted too many times today (spam_risk_too_many_posts)",
    );
    expect(describeFailReason("something_new")).toBe("something_new");
    expect(describeFailReason(null)).toBe("TikTok gave no reason");
  });

  it("tiktokPostUrl needs both the username and the post id", () => {
    expect(tiktokPostUrl("shop", "123")).toBe("https://www.tiktok.com/@shop/video/123");
    expect(tiktokPostUrl(null, "123")).toBeUndefined();
    expect(tiktokPostUrl("shop", null)).toBeUndefined();
  });

  it("privacyWords names the levels as the TikTok app does", () => {
    expect(privacyWords(["PUBLIC_TO_EVERYONE", "SELF_ONLY", "NEW_LEVEL"])).toBe(
      "Everyone, Only me, NEW_LEVEL",
    );
  });
});
