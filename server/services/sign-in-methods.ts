import "server-only";
import { count, eq } from "drizzle-orm";
import type { SignInProvider } from "@/server/auth-providers";
import type { Db } from "@/server/db";
import { accounts, passkeys } from "@/server/db/schema";

/** better-auth's provider id for the email + password account. */
export const PASSWORD_PROVIDER_ID = "credential";

export interface LinkedIdentity {
  /** better-auth's account row id: what `unlinkAccount({ accountId })` takes. */
  id: string;
  providerId: string;
  linkedAt: Date;
}

/** Every way one user can sign in: a password, linked provider identities, passkeys. */
export interface SignInMethods {
  password: boolean;
  passkeys: number;
  linked: LinkedIdentity[];
}

export async function listSignInMethods(db: Db, userId: string): Promise<SignInMethods> {
  const [rows, [keys]] = await Promise.all([
    db
      .select({
        id: accounts.id,
        providerId: accounts.providerId,
        password: accounts.password,
        linkedAt: accounts.createdAt,
      })
      .from(accounts)
      .where(eq(accounts.userId, userId))
      .orderBy(accounts.createdAt),
    db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId)),
  ]);
  return {
    password: rows.some((r) => r.providerId === PASSWORD_PROVIDER_ID && r.password !== null),
    passkeys: keys?.n ?? 0,
    linked: rows
      .filter((r) => r.providerId !== PASSWORD_PROVIDER_ID)
      .map(({ id, providerId, linkedAt }) => ({ id, providerId, linkedAt })),
  };
}

/**
 * Whether the user could still sign in after `accountId` is unlinked: with a password, a passkey, or
 * another identity from a provider this server still offers (one whose button is gone is no way in).
 */
export function anotherWayInRemains(
  methods: SignInMethods,
  accountId: string,
  offeredProviders: ReadonlySet<string>,
): boolean {
  if (methods.password || methods.passkeys > 0) return true;
  return methods.linked.some((a) => a.id !== accountId && offeredProviders.has(a.providerId));
}

/**
 * Settings → Security's view: the password, passkeys, and each provider this server offers with the
 * identity linked from it (if any), then linked identities of providers no longer offered.
 */
export async function describeSignInMethods(db: Db, userId: string, offered: SignInProvider[]) {
  const methods = await listSignInMethods(db, userId);
  const offeredIds = new Set<string>(offered.map((p) => p.id));
  // Whether unlinking it would still leave a way in (the server checks again when asked).
  const withRule = (a: LinkedIdentity) => ({
    ...a,
    canUnlink: anotherWayInRemains(methods, a.id, offeredIds),
  });
  const linkedFrom = (id: string) => methods.linked.find((a) => a.providerId === id);
  return {
    password: methods.password,
    passkeys: methods.passkeys,
    providers: offered.map((p) => {
      const linked = linkedFrom(p.id);
      return { ...p, linked: linked ? withRule(linked) : null };
    }),
    retired: methods.linked.filter((a) => !offeredIds.has(a.providerId)).map(withRule),
  };
}

export type SignInMethodsView = Awaited<ReturnType<typeof describeSignInMethods>>;
