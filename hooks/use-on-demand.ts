"use client";

import { useCallback, useState } from "react";

/**
 * A module's export loaded when first asked for (a form focused or sent), not with the page: forms
 * keep their Zod schemas off a page's first load this way (issue 15, page weight). `request()`
 * resolves to the value (loading it once; later calls answer at once) and re-renders with it; `value`
 * is null until then.
 * `load` must be a module-level function.
 */
export function useOnDemand<T>(load: () => Promise<T>) {
  const [value, setValue] = useState<T | null>(null);
  const request = useCallback(
    () =>
      load().then((v) => {
        setValue(() => v);
        return v;
      }),
    [load],
  );
  return [value, request] as const;
}
