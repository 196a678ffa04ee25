import { z } from "zod";
import { AUTO_JOIN_ROLES } from "@/lib/enums";

/**
 * Addresses anyone can get: a domain like these says nothing about who works where, so it cannot
 * let people join a workspace on its own.
 */
export const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "yandex.com",
  "yandex.ru",
  "mail.ru",
  "zoho.com",
  "fastmail.com",
  "hey.com",
  "tutanota.com",
  "tuta.io",
  "qq.com",
  "163.com",
  "126.com",
]);

export { AUTO_JOIN_ROLES };

export const updateSsoSettingsInput = z.object({
  ssoRequired: z.boolean(),
  /** Empty or null: nobody joins by domain. */
  autoJoinDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(255)
    .regex(
      /^$|^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/,
      "Enter a domain such as acme.com",
    )
    .nullable(),
  autoJoinRole: z.enum(AUTO_JOIN_ROLES),
});
export type UpdateSsoSettingsInput = z.infer<typeof updateSsoSettingsInput>;
