"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/**
 * A message a person can act on, from any tRPC error (field errors first), ending with the request's
 * reference so a report can be matched to the server's log lines.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    const data = err.data as
      | {
          zodError?: { fieldErrors?: Record<string, string[]>; formErrors?: string[] };
          requestId?: string | null;
        }
      | undefined;
    const fieldErrors = data?.zodError?.fieldErrors;
    const first = fieldErrors && Object.values(fieldErrors).flat()[0];
    return withReference(first ?? data?.zodError?.formErrors?.[0] ?? err.message, data?.requestId);
  }
  return err instanceof Error ? err.message : "Something went wrong";
}

/** "message (Reference: id)", unless the message already names it (internal errors do). */
export function withReference(message: string, requestId: string | null | undefined): string {
  if (!requestId || message.includes(requestId)) return message;
  return `${message} (Reference: ${requestId})`;
}

export function fieldErrors(err: unknown): Record<string, string | undefined> {
  if (!(err instanceof TRPCClientError)) return {};
  const data = err.data as
    | { zodError?: { fieldErrors?: Record<string, string[]> }; fieldErrors?: Record<string, string[]> }
    | undefined;
  const merged = { ...(data?.zodError?.fieldErrors ?? {}), ...(data?.fieldErrors ?? {}) };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v?.[0]]));
}
