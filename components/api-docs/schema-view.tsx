type Json = Record<string, unknown>;

/** `#/components/schemas/X` → the schema it names. */
export function resolveRef(doc: Json, schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let cur: unknown = doc;
  for (const part of ref.slice(2).split("/")) cur = (cur as Json | undefined)?.[part];
  return (cur as Json | undefined) ?? schema;
}

/** A one-line type, as a reader wants it: `string (email)`, `"draft" | "scheduled"`, `array of string`. */
export function typeLabel(doc: Json, raw: Json): string {
  const schema = resolveRef(doc, raw);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) return union.map((s) => typeLabel(doc, s)).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type as string | undefined);
  if (type === "array") {
    const items = schema.items as Json | undefined;
    if (Array.isArray(schema.prefixItems)) {
      return `[${(schema.prefixItems as Json[]).map((s) => typeLabel(doc, s)).join(", ")}]`;
    }
    return `array of ${items ? typeLabel(doc, items) : "any"}`;
  }
  if (type === "object" && !schema.properties && schema.additionalProperties) {
    const add = schema.additionalProperties;
    return `map of ${typeof add === "object" ? typeLabel(doc, add as Json) : "any"}`;
  }
  const format = (schema.format as string | undefined) ?? (schema.pattern ? "pattern" : undefined);
  if (!type) return "any";
  return format && format !== "pattern" ? `${type} (${format})` : type;
}

function constraints(schema: Json): string[] {
  const out: string[] = [];
  if (typeof schema.minLength === "number" && schema.minLength > 0)
    out.push(`min length ${schema.minLength}`);
  if (typeof schema.maxLength === "number") out.push(`max length ${schema.maxLength}`);
  if (typeof schema.minimum === "number") out.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number") out.push(`≤ ${schema.maximum}`);
  if (typeof schema.maxItems === "number") out.push(`at most ${schema.maxItems} items`);
  if ("default" in schema) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

function objectVariants(doc: Json, raw: Json): Json[] {
  const schema = resolveRef(doc, raw);
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) return union.flatMap((s) => objectVariants(doc, s));
  return schema.properties ? [schema] : [];
}

/** The fields of an object schema as a nested list (objects and arrays of objects open below). */
export function SchemaView({ doc, schema, depth = 0 }: { doc: Json; schema: Json; depth?: number }) {
  const variants = objectVariants(doc, schema);
  if (variants.length === 0) {
    return <p className="font-mono text-muted-foreground text-xs">{typeLabel(doc, schema)}</p>;
  }
  return (
    <div className="grid gap-3">
      {variants.map((variant, i) => {
        const props = (variant.properties ?? {}) as Record<string, Json>;
        const required = new Set((variant.required as string[] | undefined) ?? []);
        const discriminator = Object.entries(props).find(([, p]) => "const" in p);
        return (
          <div key={i} className="grid gap-1">
            {variants.length > 1 ? (
              <p className="font-medium text-xs">
                Variant {i + 1}
                {discriminator ? ` — ${discriminator[0]}: ${JSON.stringify(discriminator[1].const)}` : ""}
              </p>
            ) : null}
            <ul className={depth ? "grid gap-1 border-l pl-3" : "grid gap-1"}>
              {Object.entries(props).map(([name, p]) => {
                const resolved = resolveRef(doc, p);
                const item =
                  resolved.type === "array" ? resolveRef(doc, (resolved.items as Json) ?? {}) : resolved;
                const nested = depth < 3 && objectVariants(doc, item).length > 0;
                const notes = constraints(resolved);
                return (
                  <li key={name} className="text-sm">
                    <span className="font-mono font-medium">{name}</span>
                    {required.has(name) && !("default" in resolved) ? (
                      <span className="ml-1 text-destructive text-xs">required</span>
                    ) : null}
                    <span className="ml-2 font-mono text-muted-foreground text-xs">{typeLabel(doc, p)}</span>
                    {notes.length ? (
                      <span className="ml-2 text-muted-foreground text-xs">· {notes.join(" · ")}</span>
                    ) : null}
                    {typeof resolved.description === "string" ? (
                      <p className="text-muted-foreground text-xs">{resolved.description}</p>
                    ) : null}
                    {nested ? (
                      <div className="mt-1">
                        <SchemaView doc={doc} schema={item} depth={depth + 1} />
                      </div>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </div>
  );
}
