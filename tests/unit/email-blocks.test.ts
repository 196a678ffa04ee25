import { describe, expect, it } from "vitest";
import {
  BLOCK_LABELS,
  emailBlockSchema,
  emailBlocksSchema,
  MAX_BLOCKS,
  MAX_SOCIAL_LINKS,
  MAX_TEXT,
  newBlock,
  starterBlocks,
} from "@/lib/email-blocks";

const firstMessage = (v: unknown) => {
  const r = emailBlocksSchema.safeParse(v);
  return r.success ? null : r.error.issues[0]!.message;
};

describe("email block documents", () => {
  it("accepts every kind of block and fills defaults", () => {
    const doc = emailBlocksSchema.parse([
      { type: "heading", text: "Hi {{first_name|there}}" },
      { type: "text", text: "**Bold** and [a link](https://example.com/?e={{email}})" },
      { type: "image", src: "/api/media/0b5e/photo.png", alt: "A photo" },
      {
        type: "image",
        src: "https://cdn.example.com/a.png",
        alt: "Remote",
        width: 300,
        href: "https://example.com",
      },
      { type: "button", label: "Shop", url: "https://shop.example/{{custom.plan|free}}" },
      { type: "product", title: "Mug", price: "€9", url: "https://shop.example/mug" },
      { type: "divider" },
      { type: "social", links: [{ platform: "tiktok", url: "https://tiktok.com/@acme" }] },
      { type: "footer" },
    ]);
    expect(doc).toHaveLength(9);
    expect(doc[0]).toEqual({ type: "heading", text: "Hi {{first_name|there}}", level: 1, align: "left" });
    expect(doc[2]).toMatchObject({ width: 600 });
    expect(doc[4]).toMatchObject({ background: "#2563eb", color: "#ffffff", align: "center" });
    expect(doc[8]).toEqual({ type: "footer", text: "" });
  });

  it("limits counts and lengths with messages a person can act on", () => {
    const many = Array.from({ length: MAX_BLOCKS + 1 }, () => ({ type: "divider" }));
    expect(firstMessage(many)).toBe(`An email can have at most ${MAX_BLOCKS} blocks`);
    expect(firstMessage([{ type: "text", text: "x".repeat(MAX_TEXT + 1) }])).toContain("at most");
    expect(firstMessage([{ type: "heading", text: "x".repeat(201) }])).toBe(
      "Heading must be at most 200 characters",
    );
    expect(firstMessage([{ type: "heading", text: "  " }])).toBe("Heading is required");
    const social = Array.from({ length: MAX_SOCIAL_LINKS + 1 }, () => ({
      platform: "x",
      url: "https://x.com/a",
    }));
    expect(firstMessage([{ type: "social", links: social }])).toBe(
      `At most ${MAX_SOCIAL_LINKS} social links`,
    );
    expect(firstMessage([{ type: "social", links: [] }])).toBe("Add at least one social link");
    expect(firstMessage([{ type: "footer" }, { type: "footer" }])).toBe("An email has one footer");
    expect(firstMessage([{ type: "image", src: "https://cdn.example/a.png", alt: "a", width: 601 }])).toBe(
      "Image width must be at most 600",
    );
  });

  it("refuses unsafe or missing URLs, missing alt text, bad colours and unknown blocks", () => {
    expect(firstMessage([{ type: "button", label: "Go", url: "javascript:alert(1)" }])).toBe(
      "The button link must start with https:// or http://",
    );
    expect(firstMessage([{ type: "image", src: "http://cdn.example/a.png", alt: "a" }])).toBe(
      "The image block image must be an https:// URL or a file from the media library",
    );
    expect(firstMessage([{ type: "image", src: "data:image/png;base64,AAAA", alt: "a" }])).toContain(
      "https://",
    );
    expect(firstMessage([{ type: "image", src: "https://cdn.example/a.png", alt: "" }])).toBe(
      "Image description (alt text) is required",
    );
    expect(firstMessage([{ type: "button", label: "Go", url: "https://a.example", background: "red" }])).toBe(
      "Button colour must be a colour like #2563eb",
    );
    expect(
      firstMessage([{ type: "social", links: [{ platform: "myspace", url: "https://m.example" }] }]),
    ).not.toBeNull();
    expect(emailBlockSchema.safeParse({ type: "script", text: "x" }).success).toBe(false);
    expect(firstMessage("not a list")).not.toBeNull();
  });

  it("starter blocks are labelled; the starter document is valid", () => {
    for (const type of Object.keys(BLOCK_LABELS) as (keyof typeof BLOCK_LABELS)[]) {
      expect(newBlock(type).type).toBe(type);
    }
    expect(emailBlocksSchema.safeParse(starterBlocks()).success).toBe(true);
  });
});
