"use client";

import { twoFactorClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ plugins: [twoFactorClient()] });
export const { signIn, signUp, signOut, useSession } = authClient;
