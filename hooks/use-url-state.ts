"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";

export type UrlChanges = Record<string, string | number | undefined>;

/** `value` when it is one of `options`, else undefined (a hand-edited or outdated link). */
export function oneOf<T extends string>(value: string | null, options: readonly T[]): T | undefined {
  return value && (options as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** The query string after `changes`: undefined or "" removes a key, anything else sets it. */
export function applyUrlChanges(current: string, changes: UrlChanges): string {
  const next = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") next.delete(k);
    else next.set(k, String(v));
  }
  return next.toString();
}

/**
 * Page state kept in the URL query (filters, sort, page, view), so a reload or a shared link shows
 * the same thing. `update` rewrites the given keys in place: no new history entry, no scroll.
 */
export function useUrlState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (changes: UrlChanges) => {
      const qs = applyUrlChanges(params.toString(), changes);
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return { params, update };
}
