"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RangePreset } from "@/server/services/analytics/schemas";
import { type RangeState, rangeFromParams } from "./range";

export type { RangeState };

/** The chosen period lives in the URL (?range=30d&from=…&to=…&compare=0): shareable, survives reload. */
export function useRange(defaultPreset: RangePreset = "30d") {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const range = useMemo(
    () => rangeFromParams((name) => params.get(name), defaultPreset),
    [params, defaultPreset],
  );
  const setRange = useCallback(
    (next: RangeState) => {
      const q = new URLSearchParams(params.toString());
      q.set("range", next.preset);
      if (next.preset === "custom" && next.from && next.to) {
        q.set("from", next.from);
        q.set("to", next.to);
      } else {
        q.delete("from");
        q.delete("to");
      }
      if (next.compare) q.delete("compare");
      else q.set("compare", "0");
      router.replace(`${pathname}?${q.toString()}`, { scroll: false });
    },
    [params, router, pathname],
  );
  return { range, setRange };
}
