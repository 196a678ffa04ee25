import { TRPCError } from "@trpc/server";
import { appRouter } from "@/server/api/root";
import type { SessionUser } from "@/server/api/trpc";
import type { Db } from "@/server/db";
import { ROLES, type Role } from "@/server/db/schema";
import { callerFor } from "./fixtures";

/** Every procedure path of the app router ("leads.fields.create"…), read from the router itself. */
export function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

type AnyProcedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
export function procedureDef(path: string): AnyProcedure["_def"] {
  const p = (appRouter._def.procedures as unknown as Record<string, AnyProcedure>)[path];
  if (!p) throw new Error(`no procedure ${path}`);
  return p._def;
}

export type Outcome =
  | { ok: true; data: unknown; text: string }
  | { ok: false; code: string; message: string; text: string };

/** Calls `path` through a server-side caller as `user` and reports what came back, never throwing. */
export async function callProcedure(
  db: Db,
  user: SessionUser | null,
  path: string,
  input: unknown,
): Promise<Outcome> {
  const caller = callerFor(db, user) as unknown as Record<string, unknown>;
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    const data = await (fn as (i: unknown) => Promise<unknown>)(input);
    return { ok: true, data, text: stringify(data) };
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const cause = err.cause as { message?: string; fieldErrors?: unknown } | undefined;
    return {
      ok: false,
      code: err.code,
      message: err.message,
      text: stringify({ message: err.message, cause: cause?.message, fieldErrors: cause?.fieldErrors }),
    };
  }
}

function stringify(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)) ?? "undefined";
  } catch {
    return String(v);
  }
}

/** The roles strictly below `role` (owner > admin > member > viewer). */
export function rolesBelow(role: Role): Role[] {
  const order = [...ROLES].reverse(); // viewer … owner
  return order.slice(0, order.indexOf(role));
}

/** The secrets of `list` found in `text` (case-insensitive: emails may be lower-cased). */
export function leaked(text: string, list: string[]): string[] {
  const hay = text.toLowerCase();
  return list.filter((s) => s && hay.includes(s.toLowerCase()));
}
