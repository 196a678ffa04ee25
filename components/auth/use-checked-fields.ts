"use client";

import { type ChangeEvent, type FocusEvent, useRef, useState } from "react";

/** A field's rule: `true` when the value is fine, else the sentence to show under it. */
export type FieldRule = (value: string) => true | string;

/**
 * The few text fields of the sign-in and sign-up forms, checked as a form library would in its
 * "on touched" mode — a field is checked when it loses focus, then on every change — without one:
 * those pages stay light (issue 15). `check()` checks every field on submit and names the first
 * that is wrong (to focus it); the server checks everything again.
 */
export function useCheckedFields<K extends string>(
  initial: Record<K, string>,
  rules: Partial<Record<K, FieldRule>>,
) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<K, string>>>({});
  const touched = useRef(new Set<K>());

  const errorOf = (key: K, value: string) => {
    const verdict = rules[key]?.(value);
    return verdict === undefined || verdict === true ? undefined : verdict;
  };

  const field = (key: K) => ({
    id: key,
    name: key,
    value: values[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.target.value;
      setValues((s) => ({ ...s, [key]: value }));
      if (touched.current.has(key)) setErrors((s) => ({ ...s, [key]: errorOf(key, value) }));
    },
    onBlur: (e: FocusEvent<HTMLInputElement>) => {
      touched.current.add(key);
      const value = e.target.value;
      setErrors((s) => ({ ...s, [key]: errorOf(key, value) }));
    },
    "aria-invalid": Boolean(errors[key]),
  });

  /** Checks every field with a rule; the first wrong one's key, or null when all are fine. */
  const check = (): K | null => {
    const next: Partial<Record<K, string>> = {};
    let first: K | null = null;
    for (const key of Object.keys(rules) as K[]) {
      touched.current.add(key);
      next[key] = errorOf(key, values[key]);
      if (next[key] && first === null) first = key;
    }
    setErrors(next);
    return first;
  };

  return { values, errors, field, check };
}
