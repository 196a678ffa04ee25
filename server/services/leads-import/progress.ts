import "server-only";
/** Share of the progress bar for reading and staging the file; the merge takes the rest. */
export const STAGE_SHARE = 45;

/**
 * Reports whole percentages below 100 (100 is the finish event's), never going backwards, and no
 * more than one report a second unless the percentage moved.
 */
export function throttledProgress(report?: (percent: number) => Promise<void>, now = () => Date.now()) {
  let lastPercent = -1;
  let lastReport = 0;
  return async (percent: number) => {
    const p = Math.min(99, Math.floor(percent));
    if (!report || (p <= lastPercent && now() - lastReport < 1000)) return;
    lastPercent = Math.max(p, lastPercent);
    lastReport = now();
    await report(lastPercent);
  };
}
