"use client";

import { useEffect, useRef, useState } from "react";

/** `value`, once it has stopped changing for `ms`. */
export function useDebouncedValue<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A text box whose trimmed value is handed to `commit` once typing pauses for `ms` — a search box
 * over a list whose query lives in the URL. `committed` is the value in effect: typing back to it
 * commits nothing. Returns the box's value and setter (set "" when clearing filters).
 */
export function useDebouncedText(committed: string, commit: (text: string) => void, ms = 300) {
  const [text, setText] = useState(committed);
  const latest = useRef(commit);
  latest.current = commit;
  useEffect(() => {
    if (text.trim() === committed) return;
    const t = setTimeout(() => latest.current(text.trim()), ms);
    return () => clearTimeout(t);
  }, [text, committed, ms]);
  return [text, setText] as const;
}
