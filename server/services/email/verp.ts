import { createHmac } from "node:crypto";
import { safeEqual } from "@/lib/crypto";
import { derivedSecretKey } from "@/lib/secrets";

/**
 * VERP return paths (cr.yp.to/proto/verp.txt): each campaign message goes out with its own SMTP
 * envelope sender, `<local>+<token>@<domain>` built from the workspace's bounce address, so a
 * bounce that comes back names the send even when its text says nothing useful. The token is the
 * send id (16 bytes, base32) and a 40-bit HMAC keyed from the server secret: nobody can make up a
 * return path for a send id they guessed. Lower-case base32 only, so an MTA that folds the case of
 * the local part does not break it.
 */

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID_CHARS = 26; // 128 bits
const MAC_CHARS = 8; // 40 bits
const TOKEN = new RegExp(`^[${ALPHABET}]{${ID_CHARS + MAC_CHARS}}$`);

const key = () => derivedSecretKey("verp");

function base32(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function unbase32(text: string, length: number): Buffer | null {
  const out = Buffer.alloc(length);
  let bits = 0;
  let value = 0;
  let i = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      if (i >= length) return null;
      out[i++] = (value >>> (bits - 8)) & 255;
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return i === length ? out : null;
}

const mac = (id: string) => base32(createHmac("sha256", key()).update(id).digest().subarray(0, 5));

/** The token for a send: its id in base32 and a short HMAC. */
export function verpToken(sendId: string): string {
  const id = base32(Buffer.from(sendId.replace(/-/g, ""), "hex"));
  return id + mac(id);
}

/** `bounces@mail.brand.com` + send → `bounces+<token>@mail.brand.com`; null for a non-send id. */
export function verpAddress(sendId: string, bounceAddress: string): string | null {
  if (!UUID.test(sendId)) return null;
  const at = bounceAddress.lastIndexOf("@");
  if (at <= 0) return null;
  return `${bounceAddress.slice(0, at)}+${verpToken(sendId)}@${bounceAddress.slice(at + 1)}`;
}

/**
 * The send id a VERP address carries (angle brackets and case forgiven), or null when it is not one
 * of ours or its HMAC does not check out.
 */
export function sendIdFromVerp(address: string): string | null {
  if (typeof address !== "string" || address.length > 512) return null;
  const bare = address.trim().replace(/^<|>$/g, "").toLowerCase();
  const at = bare.lastIndexOf("@");
  if (at <= 0) return null;
  const local = bare.slice(0, at);
  const token = local.slice(local.lastIndexOf("+") + 1);
  if (!local.includes("+") || !TOKEN.test(token)) return null;
  const id = token.slice(0, ID_CHARS);
  if (!safeEqual(token.slice(ID_CHARS), mac(id))) return null;
  const bytes = unbase32(id, 16);
  if (!bytes) return null;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const MESSAGE_ID_SEND = /^<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/;

/**
 * The SMTP envelope sender of one campaign message: the VERP address for the send named by our
 * Message-ID (`<sendId@domain>`, render.ts messageIdFor) when the workspace set a bounce address,
 * else `fallback` (the From address). Test sends (no send id) use the bare bounce address.
 */
export function envelopeSender(
  messageId: string | undefined,
  bounceAddress: string | null,
  fallback: string,
) {
  if (!bounceAddress) return fallback;
  const sendId = messageId ? MESSAGE_ID_SEND.exec(messageId)?.[1] : undefined;
  return (sendId && verpAddress(sendId, bounceAddress)) || bounceAddress;
}
