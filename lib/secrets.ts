import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomToken } from "./crypto";
import { dataDir, env } from "./env";

/**
 * better-auth's signing secret. BETTER_AUTH_SECRET wins; otherwise one is generated on first start
 * and kept in the data folder so sessions survive restarts of a zero-config install.
 */
export function authSecret(): string {
  const fromEnv = env().BETTER_AUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir(), "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir(), { recursive: true });
    const secret = randomToken(48);
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return fs.readFileSync(file, "utf8").trim();
  }
}
