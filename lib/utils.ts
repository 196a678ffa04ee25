import { type ClassValue, clsx } from "clsx";
import { twMerge } from "tailwind-merge";

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}

const wordStart = /[\p{L}\p{N}]/u;

function firstChar(word: string): string {
  return Array.from(word).find((ch) => wordStart.test(ch)) ?? "";
}

/** One or two uppercase initials from a display name, falling back to the email's local part, then "?". */
export function initials(name: string | null | undefined, email?: string): string {
  const source = name?.trim() || email?.split("@")[0] || "";
  const words = source.split(/[\s._+-]+/).filter((w) => wordStart.test(w));
  const first = words[0];
  if (!first) return "?";
  const last = words.length > 1 ? words.at(-1) : undefined;
  return (firstChar(first) + (last ? firstChar(last) : "")).toLocaleUpperCase();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormatter(timeZone?: string): Intl.DateTimeFormat {
  const key = timeZone ?? "";
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone });
    } catch {
      formatter = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/** e.g. "Mar 4, 2026, 9:30 AM". Invalid dates render as an em dash; an unknown time zone falls back to the runtime's. */
export function formatDateTime(d: Date | string, timeZone?: string): string {
  const date = typeof d === "string" ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return "—";
  return dateTimeFormatter(timeZone).format(date);
}
