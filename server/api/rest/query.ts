import "server-only";
import type { z } from "zod";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType> };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/nullable wrappers and a pipe's input side. */
function baseType(schema: z.ZodType): string {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    const d = defOf(s);
    if (
      d.innerType &&
      ["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(d.type)
    ) {
      s = d.innerType;
    } else if (d.type === "pipe" && d.in) {
      s = d.in;
    } else return d.type;
  }
  return "unknown";
}

function coerce(type: string, v: string): unknown {
  if (type === "number" || type === "int") return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (type === "boolean") return v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : v;
  return v;
}

/**
 * Query strings hold strings; the services' schemas want numbers, booleans and arrays. Each
 * parameter is converted to the type its schema declares (arrays from repeated parameters), and
 * left as it was when it does not convert, so the schema reports it with its own message.
 */
export function coerceQuery(schema: z.ZodType, params: URLSearchParams): Record<string, unknown> {
  let obj = schema;
  for (let i = 0; i < 5 && !defOf(obj).shape; i++) {
    const d = defOf(obj);
    obj = (d.innerType ?? d.in ?? obj) as z.ZodType;
    if (obj === schema) break;
  }
  const shape = (obj as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const out: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const field = shape[key];
    if (!field) continue; // unknown parameters are ignored, as in most HTTP APIs
    const type = baseType(field);
    const values = params.getAll(key);
    if (type === "array") {
      let s = field;
      for (let i = 0; i < 10 && defOf(s).type !== "array"; i++) s = (defOf(s).innerType ?? defOf(s).in)!;
      const element = (defOf(s) as unknown as { element: z.ZodType }).element;
      out[key] = values.map((v) => coerce(baseType(element), v));
    } else {
      out[key] = coerce(type, values.at(-1)!);
    }
  }
  return out;
}
