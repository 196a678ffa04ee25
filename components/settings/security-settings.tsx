"use client";
import { useState } from "react";
import { LinkedAccountsCard } from "./linked-accounts-card";
import { PasskeysCard } from "./passkeys-card";
import { PasswordCard } from "./password-card";
import { SessionsCard } from "./sessions-card";
import { TwoFactorCard } from "./two-factor-card";

/** Settings → Security: password, two-factor authentication and the account's sessions. */
export function SecuritySettings() {
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <div className="grid gap-6">
      <PasswordCard onChanged={() => setSessionsVersion((v) => v + 1)} />
      <LinkedAccountsCard />
      <TwoFactorCard />
      <PasskeysCard />
      <SessionsCard version={sessionsVersion} />
    </div>
  );
}
