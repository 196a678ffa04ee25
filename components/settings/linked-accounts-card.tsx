"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardSection } from "@/components/ui/card-section";
import { FormError } from "@/components/ui/form-field";
import { authClient } from "@/lib/auth-client";
import { toast } from "@/lib/toast";
import { useTRPC } from "@/lib/trpc/client";
import { formatDateTime } from "@/lib/utils";

/** What a link redirect brings back in `?error=`, as a sentence naming the provider. */
function linkError(code: string, provider: string): string {
  switch (code) {
    case "email_does_not_match":
      return `That ${provider} account's address is not the one on your account here. Link a ${provider} account with the same address.`;
    case "unable_to_link_account":
      return `${provider} did not confirm that address as verified, so it was not linked.`;
    case "account_already_linked_to_different_user":
      return `That ${provider} account is already linked to another user here.`;
    case "access_denied":
      return `Linking was cancelled at ${provider}.`;
    case "invalid_code":
      return `${provider} did not accept the link (it may have taken too long). Try again.`;
    case "state_mismatch":
    case "state_not_found":
    case "state_invalid":
      return "That link could not be matched to this browser (it may have expired). Try again.";
    default:
      return `${provider} could not be linked (${code.replaceAll("_", " ").toLowerCase()}). Try again.`;
  }
}

/** better-auth's answer to an unlink, as a sentence. */
function unlinkError(e: { code?: string; message?: string }): string {
  if (e.code === "SESSION_NOT_FRESH")
    return "For your safety, sign out and in again before unlinking (this session is more than a day old).";
  return e.message ?? "Could not unlink it";
}

/**
 * Settings → Security: the ways into this account — password, passkeys, and each provider this
 * server offers, linked or not. Linking goes through the provider and comes back here with `?link=`
 * (and `&error=` when refused); unlinking is refused by the server while it is the last way in.
 */
export function LinkedAccountsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const methods = useQuery(trpc.auth.signInMethods.queryOptions());
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const data = methods.data;
  const nameOf = (id: string | null) =>
    data?.providers.find((p) => p.id === id)?.name ?? id ?? "The provider";

  // Back from a provider: say how it went once, then drop the parameters from the address.
  // Only a provider this card offers: the address is anyone's to write.
  const returned = data?.providers.some((p) => p.id === params.get("link")) ? params.get("link") : null;
  const returnedError = params.get("error");
  const told = useRef(false);
  useEffect(() => {
    if (!returned || !data || told.current) return;
    told.current = true;
    if (returnedError) setError(linkError(returnedError, nameOf(returned)));
    else toast.success(`${nameOf(returned)} is linked. You can sign in with it now.`);
    router.replace(pathname, { scroll: false });
  });

  async function link(provider: "google" | "github") {
    setError(null);
    setBusy(provider);
    const back = `${pathname}?link=${provider}`;
    const res = await authClient.linkSocial({ provider, callbackURL: back, errorCallbackURL: back });
    // On success the browser is on its way to the provider.
    if (res.error) {
      setBusy(null);
      setError(res.error.message ?? `Could not start linking ${nameOf(provider)}`);
    }
  }

  async function unlink(accountId: string, name: string) {
    if (!window.confirm(`Unlink ${name}? You will no longer be able to sign in with it.`)) return;
    setError(null);
    setBusy(accountId);
    const res = await authClient.unlinkAccount({ accountId });
    setBusy(null);
    if (res.error) return setError(unlinkError(res.error));
    toast.success(`${name} is unlinked`);
    await queryClient.invalidateQueries({ queryKey: trpc.auth.signInMethods.queryKey() });
  }

  const row = "flex flex-wrap items-center justify-between gap-2 p-3 text-sm";
  return (
    <CardSection
      title="Sign-in methods"
      description="The ways into your account. A provider can be unlinked while another way in remains: a password, a passkey or another provider."
      contentClassName="grid gap-3"
    >
      <ul className="divide-y rounded-md border" data-testid="sign-in-methods" aria-busy={methods.isPending}>
        <li className={row} data-testid="sign-in-method-password">
          <div className="min-w-0">
            <p className="font-medium">Password</p>
            <p className="text-muted-foreground text-xs">
              {data?.password
                ? "Change it in the Password card above."
                : "Not set. “Forgot password?” on the sign-in page sets one by email."}
            </p>
          </div>
          {data && (
            <Badge variant={data.password ? "secondary" : "outline"}>
              {data.password ? "Set" : "Not set"}
            </Badge>
          )}
        </li>
        {data && data.passkeys > 0 && (
          <li className={row} data-testid="sign-in-method-passkeys">
            <p className="font-medium">Passkeys</p>
            <Badge variant="secondary">
              {data.passkeys === 1 ? "1 passkey" : `${data.passkeys} passkeys`}
            </Badge>
          </li>
        )}
        {data?.providers.map((p) => (
          <li key={p.id} className={row} data-testid={`sign-in-method-${p.id}`}>
            <div className="min-w-0">
              <p className="font-medium">{p.name}</p>
              <p className="text-muted-foreground text-xs">
                {p.linked
                  ? `Linked ${formatDateTime(p.linked.linkedAt)}${p.linked.canUnlink ? "" : " · your only way in"}`
                  : "Not linked"}
              </p>
            </div>
            {p.linked ? (
              <Button
                variant="outline"
                size="sm"
                disabled={busy !== null}
                onClick={() => p.linked && unlink(p.linked.id, p.name)}
              >
                Unlink
              </Button>
            ) : p.kind === "social" ? (
              <Button
                variant="outline"
                size="sm"
                disabled={busy !== null}
                onClick={() => link(p.id as "google" | "github")}
              >
                {busy === p.id ? "Opening…" : "Link"}
              </Button>
            ) : null}
          </li>
        ))}
        {data?.retired.map((a) => (
          <li key={a.id} className={row} data-testid={`sign-in-method-${a.providerId}`}>
            <div className="min-w-0">
              <p className="font-medium">{a.providerId}</p>
              <p className="text-muted-foreground text-xs">No longer offered on this server</p>
            </div>
            <Button
              variant="outline"
              size="sm"
              disabled={busy !== null}
              onClick={() => unlink(a.id, a.providerId)}
            >
              Unlink
            </Button>
          </li>
        ))}
      </ul>
      <div data-testid="sign-in-methods-error">
        <FormError>{error}</FormError>
      </div>
    </CardSection>
  );
}
