import { randomUUID } from "node:crypto";
import juice from "juice";
import { renderMarkdown } from "@/lib/markdown";
import { preparedBlocks } from "./blocks-render";
import { clickUrl, isTrackableUrl, openPixelUrl, TEST_SEND_ID, unsubscribeToken } from "./links";
import type { SenderSettings } from "./sender-settings";

export interface RenderInput {
  workspace: { id: string; name: string; slug: string };
  sender: SenderSettings;
  step: {
    subject: string;
    preheader?: string | null;
    body: string;
    /** `blocks`: rendered from `blocks` through MJML (await `prepareCampaignEmail` first). */
    format?: string | null;
    blocks?: unknown;
  };
  lead: { id: string; email: string; name?: string | null; customFields?: Record<string, unknown> | null };
  /** The ledger row this message is for; null for a test send (links work, nothing is recorded). */
  sendId: string | null;
  /** Absolute origin of this app, e.g. https://organic.example.com (no trailing slash). */
  baseUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** Includes Message-ID, List-Unsubscribe and List-Unsubscribe-Post. */
  headers: Record<string, string>;
}

const CSS = `
body { margin: 0; padding: 0; background-color: #f4f4f5; }
.wrapper { width: 100%; background-color: #f4f4f5; }
.container { width: 100%; max-width: 600px; background-color: #ffffff; border-radius: 8px; }
.content { padding: 32px 32px 24px 32px; font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.6; color: #18181b; }
.content h1 { font-size: 26px; line-height: 1.25; margin: 0 0 16px 0; color: #09090b; }
.content h2 { font-size: 21px; line-height: 1.3; margin: 24px 0 12px 0; color: #09090b; }
.content h3 { font-size: 18px; margin: 20px 0 8px 0; color: #09090b; }
.content p { margin: 0 0 16px 0; }
.content a { color: #2563eb; text-decoration: underline; }
.content img { max-width: 100%; height: auto; border: 0; }
.content blockquote { margin: 0 0 16px 0; padding: 0 0 0 16px; border-left: 4px solid #e4e4e7; color: #52525b; }
.content code { font-family: Menlo, Consolas, monospace; font-size: 14px; background-color: #f4f4f5; padding: 2px 4px; }
.content pre { background-color: #f4f4f5; padding: 12px; overflow: auto; }
.content ul, .content ol { margin: 0 0 16px 0; padding-left: 24px; }
.content table { border-collapse: collapse; }
.content th, .content td { border: 1px solid #e4e4e7; padding: 6px 10px; }
.footer { padding: 16px 32px 32px 32px; font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; font-size: 12px; line-height: 1.5; color: #71717a; text-align: center; }
.footer a { color: #71717a; text-decoration: underline; }
`;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function decodeEntities(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

/**
 * A step rendered once (Markdown → sanitized HTML → table layout → inline CSS) with placeholders
 * where per-recipient parts go: merge tags stay as `{{…}}`, tracked links become `%%LINK_n%%`, the
 * open pixel `%%OPEN%%` and the unsubscribe link `%%UNSUB%%`. The sender renders thousands of
 * messages from one of these; juice runs once per step, not once per recipient.
 */
interface CompiledTemplate {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** Destinations of tracked links; they may still contain merge tags. */
  links: string[];
  fromDomain: string;
}

// `{{name}}`, `{{ custom.plan | free }}` — or a placeholder of ours (one pass, so values inserted
// from lead data are never scanned again).
const TOKEN_RE = /\{\{\s*([a-zA-Z][\w.-]*)\s*(?:\|([^}]*))?\}\}|%%(LINK_\d+|OPEN|UNSUB)%%/g;
const MERGE_RE = /\{\{\s*([a-zA-Z][\w.-]*)\s*(?:\|([^}]*))?\}\}/g;

const compiled = new Map<string, CompiledTemplate>();
const MAX_COMPILED = 200;

/**
 * The sender renders every message of a batch from the same step and sender objects: found by
 * identity first, without building the JSON key (the whole body) once per message.
 */
const byStep = new WeakMap<object, { sender: SenderSettings; name: string; template: CompiledTemplate }>();

function compile(input: Pick<RenderInput, "workspace" | "sender" | "step" | "baseUrl">): CompiledTemplate {
  const same = byStep.get(input.step);
  if (same && same.sender === input.sender && same.name === input.workspace.name) return same.template;
  const key = JSON.stringify([input.workspace.name, input.sender, input.step]);
  const hit = compiled.get(key);
  if (hit) {
    byStep.set(input.step, { sender: input.sender, name: input.workspace.name, template: hit });
    return hit;
  }

  if (input.step.format === "blocks") {
    const layout = preparedBlocks(input);
    const template: CompiledTemplate = {
      subject: input.step.subject,
      preheader: input.step.preheader ?? "",
      ...layout,
      fromDomain: input.sender.fromEmail.split("@")[1] ?? "localhost",
    };
    byStep.set(input.step, { sender: input.sender, name: input.workspace.name, template });
    return template;
  }

  const links: string[] = [];
  const linkIndex = (raw: string) => {
    // marked percent-encodes braces inside URLs: `?e=%7B%7Bemail%7D%7D` is still a merge tag.
    const url = decodeEntities(raw).replace(
      /%7B%7B(.*?)%7D%7D/gi,
      (_m, inner: string) => `{{${decodeURIComponent(inner)}}}`,
    );
    const probe = url.replace(MERGE_RE, "x");
    if (!isTrackableUrl(probe)) return null;
    links.push(url);
    return links.length - 1;
  };

  let bodyHtml = renderMarkdown(input.step.body);
  bodyHtml = bodyHtml.replace(/<a\b([^>]*?)\bhref="([^"]*)"/gi, (m, before: string, href: string) => {
    const i = linkIndex(href);
    return i === null ? m : `<a${before}href="%%LINK_${i}%%"`;
  });

  const preheader = input.step.preheader ?? "";
  const postal = escapeHtml(input.sender.postalAddress).replace(/\r?\n/g, "<br>");
  const html = juice.inlineContent(
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="x-apple-disable-message-reformatting"><title>${escapeHtml(input.step.subject)}</title></head>
<body>
<span style="display:none !important;visibility:hidden;opacity:0;color:transparent;height:0;width:0;max-height:0;max-width:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px">${escapeHtml(preheader)}${"&#847;&zwnj;&nbsp;".repeat(preheader ? 40 : 0)}</span>
<table role="presentation" class="wrapper" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0">
<tr><td class="content">${bodyHtml}</td></tr>
<tr><td class="footer">
<p style="margin:0 0 8px 0">You are receiving this email from ${escapeHtml(input.workspace.name)}. <a href="%%UNSUB%%">Unsubscribe</a></p>
<p style="margin:0">${postal}</p>
</td></tr>
</table>
</td></tr></table>
<img src="%%OPEN%%" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">
</body></html>`,
    CSS,
  );

  const text = `${htmlToText(bodyHtml)}\n\n--\nYou are receiving this email from ${input.workspace.name}.\nUnsubscribe: %%UNSUB%%\n${input.sender.postalAddress}\n`;

  const template: CompiledTemplate = {
    subject: input.step.subject,
    preheader,
    html,
    text,
    links,
    fromDomain: input.sender.fromEmail.split("@")[1] ?? "localhost",
  };
  if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, template);
  byStep.set(input.step, { sender: input.sender, name: input.workspace.name, template });
  return template;
}

/** A readable plain-text part: links as `text (url)`, list items as dashes, blocks as paragraphs. */
function htmlToText(html: string): string {
  const out = html
    .replace(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
      const text = label.replace(/<[^>]+>/g, "").trim();
      return text && text !== href ? `${text} (${href})` : href;
    })
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "- ")
    .replace(/<\/(p|h[1-6]|li|blockquote|pre|tr|table|ul|ol)>/gi, "\n\n")
    .replace(/<img\b[^>]*alt="([^"]*)"[^>]*>/gi, "$1")
    .replace(/<[^>]+>/g, "");
  return decodeEntities(out)
    .split("\n")
    .map((l) => l.replace(/[ \t]+$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function mergeValue(lead: RenderInput["lead"], name: string): string {
  if (name === "name") return lead.name?.trim() ?? "";
  if (name === "first_name") return lead.name?.trim().split(/\s+/)[0] ?? "";
  if (name === "email") return lead.email;
  if (name.startsWith("custom.")) {
    const v = lead.customFields?.[name.slice("custom.".length)];
    if (v === null || v === undefined) return "";
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  return "";
}

/** Fills merge tags in a plain string (subject, preheader, text part, link URL). */
export function fillMergeTags(template: string, lead: RenderInput["lead"], encode = (v: string) => v) {
  return template.replace(MERGE_RE, (_m, name: string, fallback: string | undefined) => {
    const value = mergeValue(lead, name);
    return encode(value !== "" ? value : (fallback ?? "").trim());
  });
}

export function messageIdFor(sendId: string | null, fromDomain: string) {
  return `<${sendId ?? `test-${randomUUID()}`}@${fromDomain.replace(/[^a-zA-Z0-9.-]/g, "") || "localhost"}>`;
}

/**
 * One recipient's message. Values from lead data are HTML-escaped in the HTML part; every tracked
 * link points at a signed click URL; the footer carries the unsubscribe link and postal address.
 */
export function renderCampaignEmail(input: RenderInput): RenderedEmail {
  const t = compile(input);
  const sendId = input.sendId ?? TEST_SEND_ID;
  const base = input.baseUrl.replace(/\/$/, "");
  const linkUrls = t.links.map((raw) =>
    clickUrl(base, sendId, fillMergeTags(raw, input.lead, encodeURIComponent)),
  );
  const unsubToken = unsubscribeToken(sendId);
  const unsubPage = `${base}/u/${unsubToken}`;
  const placeholder = (name: string) =>
    name === "OPEN"
      ? openPixelUrl(base, sendId)
      : name === "UNSUB"
        ? unsubPage
        : linkUrls[Number(name.slice(5))]!;

  const html = t.html.replace(TOKEN_RE, (_m, tag: string | undefined, fallback: string | undefined, ph) => {
    if (ph) return escapeHtml(placeholder(ph));
    const value = mergeValue(input.lead, tag!);
    // the fallback was written by the author and is already HTML from the Markdown renderer
    return value !== "" ? escapeHtml(value) : (fallback ?? "").trim();
  });
  const text = t.text.replace(TOKEN_RE, (_m, tag, fallback, ph) => {
    if (ph) return placeholder(ph);
    const value = mergeValue(input.lead, tag);
    return value !== "" ? value : (fallback ?? "").trim();
  });
  const subject = fillMergeTags(t.subject, input.lead).replace(/[\r\n]+/g, " ");
  const mailto = input.sender.replyTo || input.sender.fromEmail;
  return {
    subject,
    html,
    text,
    headers: {
      "Message-ID": messageIdFor(input.sendId, t.fromDomain),
      "List-Unsubscribe": `<${base}/api/unsubscribe/${unsubToken}>, <mailto:${mailto}?subject=unsubscribe>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      // Postmark replaces the Message-ID: its bounce webhooks name our send by this metadata instead.
      ...(input.sendId ? { "X-PM-Metadata-organic-send-id": input.sendId } : {}),
    },
  };
}
