import { describe, expect, it } from "vitest";
import { describeAction } from "@/lib/activity-labels";

describe("activity sentences for short video", () => {
  it("names each content type as people say it", () => {
    expect(describeAction("content.created", { type: "youtube", title: "Mug" })).toBe(
      "created the YouTube Short “Mug”",
    );
    expect(describeAction("content.created", { type: "instagram", title: "Mug" })).toBe(
      "created the Instagram Reel “Mug”",
    );
    expect(describeAction("content.created", { type: "blog", title: "Mug" })).toBe(
      "created the blog post “Mug”",
    );
  });

  it("says where Post everywhere sent the video", () => {
    expect(describeAction("content.repurposed", { platforms: ["youtube", "instagram"] })).toBe(
      "posted a video everywhere: YouTube Shorts, Instagram Reels",
    );
    expect(describeAction("content.repurposed", {})).toBe("posted a video everywhere");
  });
});
