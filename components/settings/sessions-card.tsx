"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CardContent, CardFooter } from "@/components/ui/card";
import { CardSection } from "@/components/ui/card-section";
import { authClient } from "@/lib/auth-client";
import { toast } from "@/lib/toast";
import { formatDateTime } from "@/lib/utils";

interface SessionRow {
  id: string;
  token: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  ipAddress?: string | null;
  userAgent?: string | null;
}

export function SessionsCard({ version }: { version: number }) {
  const router = useRouter();
  const session = authClient.useSession();
  const [list, setList] = useState<SessionRow[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await authClient.listSessions();
    if (!res.error) setList(res.data as SessionRow[]);
  }, []);
  useEffect(() => {
    void version;
    void load();
  }, [load, version]);

  const currentToken = session.data?.session.token;
  return (
    <CardSection
      title="Sessions"
      description="Browsers signed in to your account. A session ends after 7 days without use, and 30 days after sign-in at the latest. Changing your password signs out every other session."
      bare
    >
      <CardContent>
        <ul className="divide-y rounded-md border" data-testid="sessions-list">
          {(list ?? []).map((s) => (
            <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
              <div className="min-w-0">
                <p className="truncate font-medium">{s.userAgent ?? "Unknown browser"}</p>
                <p className="text-muted-foreground text-xs">
                  {s.ipAddress ?? "unknown address"} · signed in {formatDateTime(s.createdAt)}
                </p>
              </div>
              {s.token === currentToken ? <Badge variant="secondary">This browser</Badge> : null}
            </li>
          ))}
        </ul>
      </CardContent>
      <CardFooter className="flex flex-wrap gap-2">
        <Button
          variant="outline"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const res = await authClient.revokeOtherSessions();
            setBusy(false);
            if (res.error) return toast.error(res.error.message ?? "Could not sign out other sessions");
            toast.success("Signed out of every other browser");
            void load();
          }}
        >
          Sign out other sessions
        </Button>
        <Button
          variant="destructive"
          disabled={busy}
          data-testid="sign-out-everywhere"
          onClick={async () => {
            if (!window.confirm("Sign out everywhere, including this browser?")) return;
            setBusy(true);
            await authClient.revokeSessions();
            router.replace("/sign-in");
            router.refresh();
          }}
        >
          Sign out everywhere
        </Button>
      </CardFooter>
    </CardSection>
  );
}
