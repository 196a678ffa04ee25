import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "@/lib/secret-box";
import type { Db } from "@/server/db";
import { ValidationError } from "@/server/errors";
import { record } from "../activity";
import type { WorkspaceServiceContext } from "../context";
import type { SettingsSectionValue } from "../workspaces/schemas";
import { readWorkspaceSettings, writeSettingsSection } from "../workspaces/settings";

/**
 * DKIM signing with the workspace's own key, kept in `workspaces.settings.dkim`: the domain and
 * selector in the clear, the private key sealed with the secret box (ENCRYPTION_KEY). The private
 * key never leaves the server: reads return the public half as the DNS record to publish.
 */
export const dkimSettingsInput = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .min(3, "Enter the signing domain, e.g. yourdomain.com")
    .max(253)
    .regex(
      /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
      "Enter a domain like yourdomain.com",
    ),
  selector: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Enter the selector, e.g. organic")
    .max(63)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "Letters, digits, dots, dashes and underscores only"),
  /** PEM; omitted or empty on an update = keep the stored key. */
  privateKey: z.string().trim().max(10_000).optional(),
});
export type DkimSettingsInput = z.infer<typeof dkimSettingsInput>;

type StoredDkim = SettingsSectionValue<"dkim">;

export interface DkimSettingsView {
  domain: string;
  selector: string;
  /** Where and what to publish: `<selector>._domainkey.<domain>` TXT `v=DKIM1; k=rsa; p=…`. */
  dnsName: string;
  dnsValue: string;
  keyType: string;
}

/** Parses a PEM private key; RSA of 1024 bits or more, or Ed25519. Throws a ValidationError otherwise. */
function parsePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new ValidationError("The private key is not a PEM private key (-----BEGIN PRIVATE KEY-----)");
  }
  const type = key.asymmetricKeyType;
  if (type === "rsa") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024) throw new ValidationError("RSA keys must have at least 1024 bits (2048 recommended)");
  } else if (type !== "ed25519") {
    throw new ValidationError("Use an RSA or Ed25519 key for DKIM");
  }
  return key;
}

function viewOf(domain: string, selector: string, key: KeyObject): DkimSettingsView {
  const pub = createPublicKey(key).export({ format: "der", type: "spki" });
  const type = key.asymmetricKeyType === "ed25519" ? "ed25519" : "rsa";
  // Ed25519 DKIM records carry the raw 32-byte key (RFC 8463), RSA ones the SPKI DER.
  const p = (type === "ed25519" ? pub.subarray(pub.length - 32) : pub).toString("base64");
  return {
    domain,
    selector,
    dnsName: `${selector}._domainkey.${domain}`,
    dnsValue: `v=DKIM1; k=${type}; p=${p}`,
    keyType: type,
  };
}

async function readStoredDkim(db: Db, workspaceId: string): Promise<StoredDkim | null> {
  return (await readWorkspaceSettings(db, workspaceId)).dkim ?? null;
}

export async function getDkimSettings(db: Db, workspaceId: string): Promise<DkimSettingsView | null> {
  const stored = await readStoredDkim(db, workspaceId);
  if (!stored) return null;
  try {
    return viewOf(
      stored.domainName,
      stored.keySelector,
      createPrivateKey(decryptSecret(stored.privateKeySealed)),
    );
  } catch {
    // A key sealed under another ENCRYPTION_KEY: show the names; the key must be entered again.
    return {
      domain: stored.domainName,
      selector: stored.keySelector,
      dnsName: "",
      dnsValue: "",
      keyType: "",
    };
  }
}

/** What the SMTP transport signs with; null when DKIM is off or the key can't be opened. */
export async function getDkimSigningKey(
  db: Db,
  workspaceId: string,
): Promise<{ domainName: string; keySelector: string; privateKey: string } | null> {
  const stored = await readStoredDkim(db, workspaceId);
  if (!stored) return null;
  try {
    return {
      domainName: stored.domainName,
      keySelector: stored.keySelector,
      privateKey: decryptSecret(stored.privateKeySealed),
    };
  } catch {
    return null;
  }
}

export async function updateDkimSettings(ctx: WorkspaceServiceContext, input: DkimSettingsInput) {
  const stored = await readStoredDkim(ctx.db, ctx.workspaceId);
  let pem: string;
  if (input.privateKey) pem = input.privateKey;
  else if (stored) pem = decryptSecret(stored.privateKeySealed);
  else throw new ValidationError("Paste the private key (PEM) the DNS record was made from");
  const key = parsePrivateKey(pem);
  const value: StoredDkim = {
    domainName: input.domain,
    keySelector: input.selector,
    privateKeySealed: encryptSecret(pem),
  };
  await writeSettingsSection(ctx.db, ctx.workspaceId, "dkim", value);
  await record(
    ctx.db,
    ctx.actor,
    ctx.workspaceId,
    "workspace.dkim_updated",
    { type: "workspace", id: ctx.workspaceId },
    { domain: input.domain, selector: input.selector },
  );
  return viewOf(input.domain, input.selector, key);
}

export async function removeDkimSettings(ctx: WorkspaceServiceContext) {
  await writeSettingsSection(ctx.db, ctx.workspaceId, "dkim", null);
  await record(ctx.db, ctx.actor, ctx.workspaceId, "workspace.dkim_removed", {
    type: "workspace",
    id: ctx.workspaceId,
  });
  return { ok: true as const };
}
