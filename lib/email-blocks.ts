import { z } from "zod";

/**
 * The block editor's email document: an ordered list of blocks that the server renders through
 * MJML. Shared by the editor, the tRPC inputs and the renderer, so it imports nothing server-only.
 * Every text field may hold merge tags (`{{name|there}}`); the renderer escapes every value.
 */

export const EMAIL_BODY_FORMATS = ["markdown", "blocks"] as const;
export type EmailBodyFormat = (typeof EMAIL_BODY_FORMATS)[number];

export const MAX_BLOCKS = 50;
export const MAX_TEXT = 10_000;
export const MAX_SHORT = 200;
export const MAX_URL = 2000;
export const MAX_SOCIAL_LINKS = 8;

export const SOCIAL_PLATFORMS = [
  "facebook",
  "instagram",
  "x",
  "tiktok",
  "youtube",
  "linkedin",
  "pinterest",
  "website",
] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

export const SOCIAL_LABELS: Record<SocialPlatform, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  x: "X",
  tiktok: "TikTok",
  youtube: "YouTube",
  linkedin: "LinkedIn",
  pinterest: "Pinterest",
  website: "Website",
};

const MERGE_TAG = /\{\{\s*([a-zA-Z][\w.-]*)\s*(?:\|([^}]*))?\}\}/g;

/** An http(s) URL, merge tags allowed (`https://shop.example/?e={{email}}`). */
function isWebUrl(value: string): boolean {
  try {
    const u = new URL(value.replace(MERGE_TAG, "x"));
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

const linkUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} needs a link`)
    .max(MAX_URL, `${what} link must be at most ${MAX_URL} characters`)
    .refine(isWebUrl, `${what} link must start with https:// or http://`);

/** An https image URL or a file of the workspace's media library (`/api/media/…`). */
const imageUrl = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} needs an image`)
    .max(MAX_URL, `${what} image URL must be at most ${MAX_URL} characters`)
    .refine(
      (v) => /^\/api\/media\/[\w-]+\/[^\s"'<>]+$/.test(v) || (v.startsWith("https://") && isWebUrl(v)),
      `${what} image must be an https:// URL or a file from the media library`,
    );

const colour = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, `${what} must be a colour like #2563eb`);

const short = (what: string, min = 0) =>
  z
    .string()
    .trim()
    .min(min, `${what} is required`)
    .max(MAX_SHORT, `${what} must be at most ${MAX_SHORT} characters`);

const align = z.enum(["left", "center", "right"]).default("left");

export const headingBlock = z.object({
  type: z.literal("heading"),
  text: short("Heading", 1),
  level: z.union([z.literal(1), z.literal(2)]).default(1),
  align,
});

export const textBlock = z.object({
  type: z.literal("text"),
  /** Limited Markdown: paragraphs, emphasis, links, lists. */
  text: z
    .string()
    .trim()
    .min(1, "A text block cannot be empty")
    .max(MAX_TEXT, `A text block must be at most ${MAX_TEXT} characters`),
  align,
});

export const imageBlock = z.object({
  type: z.literal("image"),
  src: imageUrl("The image block"),
  alt: short("Image description (alt text)", 1),
  /** Pixels; the email is 600 wide, so at most 600. */
  width: z
    .number()
    .int()
    .min(20, "Image width must be at least 20")
    .max(600, "Image width must be at most 600")
    .default(600),
  href: linkUrl("The image").optional(),
});

export const buttonBlock = z.object({
  type: z.literal("button"),
  label: short("Button label", 1).pipe(z.string().max(80, "Button label must be at most 80 characters")),
  url: linkUrl("The button"),
  background: colour("Button colour").default("#2563eb"),
  color: colour("Button text colour").default("#ffffff"),
  align: z.enum(["left", "center", "right"]).default("center"),
});

export const productBlock = z.object({
  type: z.literal("product"),
  title: short("Product title", 1),
  /** As shown, e.g. "€24.90". */
  price: z.string().trim().max(40, "Price must be at most 40 characters").default(""),
  image: imageUrl("The product card").optional(),
  url: linkUrl("The product card"),
  buttonLabel: short("Product button label").default("Shop now"),
});

export const dividerBlock = z.object({
  type: z.literal("divider"),
  color: colour("Divider colour").default("#e4e4e7"),
});

export const socialBlock = z.object({
  type: z.literal("social"),
  links: z
    .array(z.object({ platform: z.enum(SOCIAL_PLATFORMS), url: linkUrl("A social") }))
    .min(1, "Add at least one social link")
    .max(MAX_SOCIAL_LINKS, `At most ${MAX_SOCIAL_LINKS} social links`),
});

/** The footer always carries the postal address and unsubscribe link; `text` is an extra note. */
export const footerBlock = z.object({
  type: z.literal("footer"),
  text: z.string().trim().max(500, "Footer note must be at most 500 characters").default(""),
});

export const emailBlockSchema = z.discriminatedUnion("type", [
  headingBlock,
  textBlock,
  imageBlock,
  buttonBlock,
  productBlock,
  dividerBlock,
  socialBlock,
  footerBlock,
]);
export type EmailBlock = z.infer<typeof emailBlockSchema>;
export type EmailBlockInput = z.input<typeof emailBlockSchema>;
export type EmailBlockType = EmailBlock["type"];

export const emailBlocksSchema = z
  .array(emailBlockSchema)
  .max(MAX_BLOCKS, `An email can have at most ${MAX_BLOCKS} blocks`)
  .refine((bs) => bs.filter((b) => b.type === "footer").length <= 1, "An email has one footer");

export const BLOCK_LABELS: Record<EmailBlockType, string> = {
  heading: "Heading",
  text: "Text",
  image: "Image",
  button: "Button",
  product: "Product card",
  divider: "Divider",
  social: "Social links",
  footer: "Footer",
};

/** A new block of a kind with starter values the editor shows. */
export function newBlock(type: EmailBlockType): EmailBlock {
  switch (type) {
    case "heading":
      return { type, text: "A headline for {{first_name|you}}", level: 1, align: "left" };
    case "text":
      return {
        type,
        text: "Write your message here. **Bold**, _italic_ and [links](https://example.com) work.",
        align: "left",
      };
    case "image":
      return { type, src: "https://", alt: "", width: 600 };
    case "button":
      return {
        type,
        label: "Learn more",
        url: "https://",
        background: "#2563eb",
        color: "#ffffff",
        align: "center",
      };
    case "product":
      return { type, title: "Product name", price: "", url: "https://", buttonLabel: "Shop now" };
    case "divider":
      return { type, color: "#e4e4e7" };
    case "social":
      return { type, links: [{ platform: "instagram", url: "https://instagram.com/" }] };
    case "footer":
      return { type, text: "" };
  }
}

/** A starter document for a step switched to blocks. */
export function starterBlocks(): EmailBlock[] {
  return [newBlock("heading"), newBlock("text"), { type: "footer", text: "" }];
}
