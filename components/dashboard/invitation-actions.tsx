"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/lib/toast";
import { errorMessage, useTRPC } from "@/lib/trpc/client";

export function InvitationActions({ token, slug }: { token: string; slug: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.workspace.invitations.accept.mutationOptions({
      onSuccess: (r) => {
        toast.success(`You joined ${r.workspace.name}`);
        router.push(`/${slug}`);
        router.refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const decline = useMutation(
    trpc.workspace.invitations.decline.mutationOptions({
      onSuccess: () => {
        toast.success("Invitation declined");
        router.push("/");
        router.refresh();
      },
      onError: (e) => toast.error(errorMessage(e)),
    }),
  );
  const busy = accept.isPending || decline.isPending;
  return (
    <>
      <Button onClick={() => accept.mutate({ token })} disabled={busy}>
        {accept.isPending && <Spinner />} Accept invitation
      </Button>
      <Button variant="outline" onClick={() => decline.mutate({ token })} disabled={busy}>
        Decline
      </Button>
    </>
  );
}
