import { getAuth } from "@/server/auth";

type AuthHandler = (request: Request) => Promise<Response>;

/**
 * A real better-auth session for tests that call route handlers: sign up, then sign in (sign-up
 * starts no session, so that it answers an existing address the same way — issue 12). Returns the
 * session cookie (`name=value`) and the new user's id.
 */
export async function signUpAndSignIn(p: {
  email: string;
  password?: string;
  name?: string;
  ip?: string;
  base?: string;
  handler?: AuthHandler;
}): Promise<{ cookie: string; userId: string }> {
  const base = p.base ?? "http://localhost:3000";
  const handler = p.handler ?? (await getAuth()).handler;
  const password = p.password ?? "correct horse battery";
  const post = (path: string, body: Record<string, string>) =>
    handler(
      new Request(`${base}/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: base,
          "x-forwarded-for": p.ip ?? "192.0.2.50",
        },
        body: JSON.stringify(body),
      }),
    );
  const up = await post("/sign-up/email", { email: p.email, password, name: p.name ?? "Test User" });
  if (up.status !== 200) throw new Error(`sign-up answered ${up.status}: ${await up.text()}`);
  const signIn = await post("/sign-in/email", { email: p.email, password });
  if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
  const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("sign-in set no session cookie");
  const { user } = (await signIn.json()) as { user: { id: string } };
  return { cookie, userId: user.id };
}
