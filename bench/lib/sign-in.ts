/** Signs in over HTTP as a browser would and returns the session cookie to send back. */
export async function signIn(
  base: string,
  email: string,
  password: string,
  /** The Origin a browser would send: the server's APP_URL when it has one, else `base`. */
  origin = base,
): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  if (!cookie.includes("session_token=")) throw new Error("sign-in set no session cookie");
  return cookie;
}
