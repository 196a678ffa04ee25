"use client";

import type { toast as sonnerToast } from "sonner";

/*
 * `toast.success/error/info` with Sonner loaded on the first toast, not with every page: the
 * signed-in pages' first load stays lighter (issue 15, page weight). Calls made before Sonner and
 * its <Toaster> (components/ui/sonner.tsx) are ready wait in order and show as soon as they are.
 */
type Sonner = typeof import("sonner");
type Call = (s: Sonner) => void;

const state: { sonner: Sonner | null; mounted: boolean; queued: Call[]; loading: Promise<Sonner> | null } = {
  sonner: null,
  mounted: false,
  queued: [],
  loading: null,
};
const listeners = new Set<() => void>();

/** Loads Sonner once; the mounted <Toaster> re-renders with it. */
export function loadSonner(): Promise<Sonner> {
  state.loading ??= import("sonner").then((m) => {
    state.sonner = m;
    for (const l of listeners) l();
    return m;
  });
  return state.loading;
}

/** For the <Toaster>: Sonner once loaded, and a callback when it is. */
export function sonnerState() {
  return state.sonner;
}
export function onSonnerLoaded(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** The <Toaster> is on screen (or gone): queued toasts are shown now. */
export function setToasterMounted(mounted: boolean) {
  state.mounted = mounted;
  if (!mounted || !state.sonner) return;
  const calls = state.queued.splice(0);
  for (const call of calls) call(state.sonner);
}

function run(call: Call) {
  if (state.sonner && state.mounted) call(state.sonner);
  else {
    state.queued.push(call);
    void loadSonner();
  }
}

type Args = Parameters<typeof sonnerToast.success>;

export const toast = {
  success: (...args: Args) => run((s) => s.toast.success(...args)),
  error: (...args: Args) => run((s) => s.toast.error(...args)),
  info: (...args: Args) => run((s) => s.toast.info(...args)),
};
