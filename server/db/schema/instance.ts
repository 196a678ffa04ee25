import { pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";
import { users } from "./auth";

/**
 * Install-wide app credentials an instance admin set in the UI (TikTok, Google, Amazon), one row per
 * provider, sealed with the secret box (ENCRYPTION_KEY). A provider without a row uses the
 * environment's (server/services/instance/credentials.ts). Not tenant data: no workspace.
 */
export const instanceCredentials = pgTable("instance_credentials", {
  provider: varchar("provider", { length: 32 }).primaryKey(),
  /** `encryptJson` of the provider's fields (lib/secret-box.ts); never returned to a browser. */
  sealed: text("sealed").notNull(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});
