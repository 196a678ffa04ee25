import { type EmailBlock, emailBlocksSchema, SOCIAL_LABELS } from "@/lib/email-blocks";
import { renderMarkdown } from "@/lib/markdown";
import { ValidationError } from "@/server/errors";
import { isTrackableUrl } from "./links";
import type { SenderSettings } from "./sender-settings";

/**
 * Block documents → MJML → responsive HTML, once per step (MJML is slow and asynchronous), with the
 * same placeholders as the Markdown layout in render.ts: merge tags stay `{{…}}`, tracked links are
 * `%%LINK_n%%`, the open pixel `%%OPEN%%`, the unsubscribe link `%%UNSUB%%`. Per recipient, render.ts
 * only fills them in. `prepareCampaignEmail` must be awaited before rendering a blocks step (the
 * sender does it once per step per run); `preparedBlocks` is the synchronous lookup render.ts uses.
 */
export interface BlocksLayout {
  html: string;
  text: string;
  links: string[];
}

export interface BlocksRenderInput {
  workspace: { name: string };
  sender: Pick<SenderSettings, "postalAddress">;
  step: { subject: string; preheader?: string | null; format?: string | null; blocks?: unknown };
  baseUrl: string;
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const MERGE_RE = /\{\{\s*([a-zA-Z][\w.-]*)\s*(?:\|([^}]*))?\}\}/g;

function esc(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function decode(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

/** Parses a stored or submitted document; a bad one is a 400 naming the first problem. */
export function parseBlocks(blocks: unknown): EmailBlock[] {
  const parsed = emailBlocksSchema.safeParse(blocks ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = typeof issue.path[0] === "number" ? `Block ${issue.path[0] + 1}: ` : "";
    throw new ValidationError(`${where}${issue.message}`);
  }
  return parsed.data;
}

class Builder {
  links: string[] = [];
  text: string[] = [];
  constructor(private baseUrl: string) {}

  /** A tracked link placeholder for a destination (merge tags kept for the per-lead fill). */
  link(raw: string): string {
    const url = decode(raw).replace(
      /%7B%7B(.*?)%7D%7D/gi,
      (_m, inner: string) => `{{${decodeURIComponent(inner)}}}`,
    );
    if (!isTrackableUrl(url.replace(MERGE_RE, "x"))) return esc(url);
    this.links.push(url);
    return `%%LINK_${this.links.length - 1}%%`;
  }

  image(src: string): string {
    return esc(src.startsWith("/") ? `${this.baseUrl}${src}` : src);
  }

  markdown(source: string): string {
    return renderMarkdown(source).replace(
      /<a\b([^>]*?)\bhref="([^"]*)"/gi,
      (_m, before: string, href: string) => {
        return `<a${before}href="${this.link(href)}"`;
      },
    );
  }
}

function blockMjml(b: EmailBlock, o: Builder): string {
  switch (b.type) {
    case "heading": {
      o.text.push(b.text, "");
      const size = b.level === 1 ? "28px" : "21px";
      return `<mj-text align="${b.align}" font-size="${size}" line-height="1.25" font-weight="700" color="#09090b" padding="16px 32px 8px 32px"><h${b.level} style="margin:0;font-size:${size};line-height:1.25">${esc(b.text)}</h${b.level}></mj-text>`;
    }
    case "text": {
      const html = o.markdown(b.text);
      o.text.push(htmlToText(html), "");
      return `<mj-text align="${b.align}" css-class="org-text">${html}</mj-text>`;
    }
    case "image": {
      const href = b.href ? ` href="${o.link(b.href)}"` : "";
      o.text.push(`[${b.alt}]`, "");
      return `<mj-image src="${o.image(b.src)}" alt="${esc(b.alt)}" width="${b.width}px"${href} padding="8px 32px"></mj-image>`;
    }
    case "button": {
      const href = o.link(b.url);
      o.text.push(`${b.label}: ${href}`, "");
      return `<mj-button href="${href}" background-color="${b.background}" color="${b.color}" align="${b.align}" font-size="16px" font-weight="600" border-radius="6px" inner-padding="12px 24px" padding="12px 32px">${esc(b.label)}</mj-button>`;
    }
    case "divider":
      o.text.push("----------", "");
      return `<mj-divider border-color="${b.color}" border-width="1px" padding="16px 32px"></mj-divider>`;
    case "social": {
      const parts = b.links.map((l) => {
        const href = o.link(l.url);
        o.text.push(`${SOCIAL_LABELS[l.platform]}: ${href}`);
        return `<a href="${href}" style="color:#2563eb;text-decoration:none;font-weight:600">${SOCIAL_LABELS[l.platform]}</a>`;
      });
      o.text.push("");
      return `<mj-text align="center" padding="12px 32px">${parts.join(" &nbsp;&middot;&nbsp; ")}</mj-text>`;
    }
    default:
      return "";
  }
}

function productSection(b: Extract<EmailBlock, { type: "product" }>, o: Builder): string {
  const href = o.link(b.url);
  o.text.push(`${b.title}${b.price ? ` — ${b.price}` : ""}`, `${b.buttonLabel || "Shop now"}: ${href}`, "");
  const image = b.image
    ? `<mj-column width="40%" vertical-align="middle"><mj-image src="${o.image(b.image)}" alt="${esc(b.title)}" href="${href}" padding="8px 16px 8px 32px" border-radius="6px"></mj-image></mj-column>`
    : "";
  // Beside an image the text needs only a gutter; on its own it lines up with the other blocks.
  const textLeft = b.image ? "16px" : "32px";
  const price = b.price
    ? `<mj-text font-size="18px" color="#18181b" padding="0 32px 8px ${textLeft}">${esc(b.price)}</mj-text>`
    : "";
  return `<mj-section padding="8px 0">${image}<mj-column width="${b.image ? "60%" : "100%"}" vertical-align="middle"><mj-text font-size="18px" font-weight="700" color="#09090b" padding="8px 32px 4px ${textLeft}">${esc(b.title)}</mj-text>${price}<mj-button href="${href}" align="left" background-color="#18181b" color="#ffffff" border-radius="6px" inner-padding="10px 20px" padding="4px 32px 8px ${textLeft}">${esc(b.buttonLabel || "Shop now")}</mj-button></mj-column></mj-section>`;
}

function footerSection(input: BlocksRenderInput, note: string, o: Builder): string {
  const postal = esc(input.sender.postalAddress).replace(/\r?\n/g, "<br>");
  const lines = note ? [`<p style="margin:0 0 8px 0">${esc(note)}</p>`] : [];
  lines.push(
    `<p style="margin:0 0 8px 0">You are receiving this email from ${esc(input.workspace.name)}. <a href="%%UNSUB%%" style="color:#71717a;text-decoration:underline">Unsubscribe</a></p>`,
    `<p style="margin:0">${postal}</p>`,
  );
  o.text.push(
    "--",
    ...(note ? [note] : []),
    `You are receiving this email from ${input.workspace.name}.`,
    "Unsubscribe: %%UNSUB%%",
    input.sender.postalAddress,
  );
  return `<mj-section padding="8px 0 24px 0"><mj-column><mj-text align="center" font-size="12px" line-height="1.5" color="#71717a" padding="8px 32px">${lines.join("")}</mj-text></mj-column></mj-section>`;
}

/** The MJML source of a document, and its plain-text part, with placeholders. */
export function blocksToMjml(input: BlocksRenderInput, blocks: EmailBlock[]) {
  const o = new Builder(input.baseUrl.replace(/\/$/, ""));
  const sections: string[] = [];
  let column: string[] = [];
  const flush = () => {
    if (column.length)
      sections.push(`<mj-section padding="8px 0"><mj-column>${column.join("")}</mj-column></mj-section>`);
    column = [];
  };
  for (const b of blocks) {
    if (b.type === "footer") continue;
    if (b.type === "product") {
      flush();
      sections.push(productSection(b, o));
    } else column.push(blockMjml(b, o));
  }
  flush();
  // Always there, whatever the document holds: the law (CAN-SPAM, GDPR) and the providers want it.
  const note = blocks.find((b) => b.type === "footer")?.text ?? "";
  const footer = footerSection(input, note, o);
  const preheader = input.step.preheader ?? "";
  const mjml = `<mjml lang="en">
<mj-head>
<mj-title>${esc(input.step.subject)}</mj-title>
${preheader ? `<mj-preview>${esc(preheader)}</mj-preview>` : ""}
<mj-attributes>
<mj-all font-family="${FONT}"></mj-all>
<mj-text font-size="16px" line-height="1.6" color="#18181b" padding="8px 32px"></mj-text>
</mj-attributes>
<mj-style inline="inline">.org-text a { color: #2563eb; text-decoration: underline; } .org-text p { margin: 0 0 12px 0; } .org-text img { max-width: 100%; height: auto; }</mj-style>
</mj-head>
<mj-body background-color="#f4f4f5" width="600px">
<mj-wrapper background-color="#ffffff" border-radius="8px" padding="16px 0">
${sections.join("\n")}
</mj-wrapper>
${footer}
</mj-body>
</mjml>`;
  const text = o.text
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { mjml, text: `${text}\n`, links: o.links };
}

export async function compileBlocks(input: BlocksRenderInput): Promise<BlocksLayout> {
  const { mjml, text, links } = blocksToMjml(input, parseBlocks(input.step.blocks));
  // `fonts: {}`: no web font links (MJML adds Google Fonts for some family names).
  // Loaded on first use (8 MB of heap): plain Markdown emails never need it.
  const { default: mjml2html } = await import("mjml");
  const out = await mjml2html(mjml, { validationLevel: "soft", keepComments: false, fonts: {} });
  // The open pixel after MJML (its parser would write `alt=""` as a bare `alt`).
  const html = out.html.replace(
    /<\/body>/,
    '<img src="%%OPEN%%" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">\n</body>',
  );
  return { html, text, links };
}

/** A readable plain-text part of a text block: links as `text (url)`, list items as dashes. */
function htmlToText(html: string): string {
  const out = html
    .replace(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
      const t = label.replace(/<[^>]+>/g, "").trim();
      return t ? `${t} (${href})` : href;
    })
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<\/(p|h[1-6]|li|blockquote|pre|ul|ol)>/gi, "\n")
    .replace(/<[^>]+>/g, "");
  return decode(out)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const ready = new Map<string, BlocksLayout>();
const pending = new Map<string, Promise<BlocksLayout>>();
const MAX_READY = 200;

function keyOf(input: BlocksRenderInput): string {
  return JSON.stringify([
    input.workspace.name,
    input.sender.postalAddress,
    input.baseUrl,
    input.step.subject,
    input.step.preheader ?? "",
    input.step.blocks ?? [],
  ]);
}

/**
 * Renders a blocks step's layout (once; concurrent callers share the work) so that render.ts can
 * build messages from it synchronously. Markdown steps need nothing: it returns at once.
 */
export async function prepareCampaignEmail(input: BlocksRenderInput): Promise<void> {
  if (input.step.format !== "blocks") return;
  const key = keyOf(input);
  if (ready.has(key)) return;
  let job = pending.get(key);
  if (!job) {
    job = compileBlocks(input);
    pending.set(key, job);
  }
  try {
    const layout = await job;
    if (ready.size >= MAX_READY) ready.delete(ready.keys().next().value!);
    ready.set(key, layout);
  } finally {
    pending.delete(key);
  }
}

/** The layout prepared for this step; a blocks step rendered without `prepareCampaignEmail` is a bug. */
export function preparedBlocks(input: BlocksRenderInput): BlocksLayout {
  const hit = ready.get(keyOf(input));
  if (!hit) throw new Error("A blocks email was rendered before prepareCampaignEmail finished");
  return hit;
}

/**
 * The sender's per-run preparation of the steps (and A/B variants) it loaded: block emails go
 * through MJML here, once each; every message is then a string fill.
 */
export async function prepareCampaignEmails(
  ctx: Omit<BlocksRenderInput, "step">,
  steps: Iterable<BlocksRenderInput["step"]>,
): Promise<void> {
  await Promise.all([...steps].map((step) => prepareCampaignEmail({ ...ctx, step })));
}
