import fc from "fast-check";

/**
 * Values nobody should be able to break the server with: wrong types, huge and odd strings, SQL and
 * HTML fragments, template syntax, NUL bytes, lone surrogates, extreme numbers, odd objects.
 */
const fixedHostile: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1,
  -2_147_483_649,
  2 ** 53 + 1,
  1e308,
  -1e308,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  1.5,
  "",
  "   ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\u202Eevil",
  "𝕏🚀👩‍👩‍👧 ünïcødé",
  "' OR '1'='1",
  "'; DROP TABLE leads; --",
  "1; SELECT pg_sleep(10)",
  '"><script>alert(1)</script>',
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "../../../../etc/passwd",
  "$" + "{7*7}{{7*7}}<%= 7*7 %>",
  "x".repeat(100_000),
  "2026-02-30",
  "9999-12-31T23:59:59Z",
  "00000000-0000-0000-0000-000000000000",
  "not-a-uuid",
  [],
  [null],
  ["x".repeat(5000)],
  Array.from({ length: 2000 }, (_, i) => i),
  {},
  { $ne: null },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  new Date(Number.NaN),
  new Date(8.64e15),
  10n ** 30n,
];

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...fixedHostile) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 300 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
);

type Path = (string | number)[];

/** Every path into a JSON-ish value (objects and arrays), the root excluded. */
export function pathsOf(v: unknown, prefix: Path = []): Path[] {
  if (v === null || typeof v !== "object" || v instanceof Date) return [];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return keys.flatMap((k) => [[...prefix, k], ...pathsOf((v as Record<string, unknown>)[k], [...prefix, k])]);
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node?.[k] as Record<string | number, unknown>;
  return node;
}

export type Mutation =
  | { kind: "set"; path: Path; value: unknown }
  | { kind: "delete"; path: Path }
  | { kind: "unknownField"; path: Path; key: string; value: unknown }
  | { kind: "replace"; value: unknown };

export function applyMutation(input: unknown, m: Mutation): unknown {
  if (m.kind === "replace") return m.value;
  const out = clone(input);
  if (m.kind === "unknownField") {
    const target = (m.path.length ? parentOf(out, [...m.path, "_"]) : out) as Record<string, unknown> | null;
    // An own property even for "__proto__" (plain assignment would set the prototype instead, and
    // the key would never reach the server), as JSON.parse of a hostile body produces it.
    const own = { value: m.value, enumerable: true, writable: true, configurable: true };
    if (target && typeof target === "object" && !Array.isArray(target))
      Object.defineProperty(target, m.key, own);
    else if (out && typeof out === "object") Object.defineProperty(out, m.key, own);
    return out;
  }
  const parent = parentOf(out, m.path);
  const last = m.path[m.path.length - 1]!;
  if (!parent || typeof parent !== "object") return out;
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    parent[last] = m.value;
  }
  return out;
}

/** Mutations of one valid input: a field set to a hostile value, removed, an unknown field, or all of it replaced. */
export function mutationOf(valid: unknown): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  const objectPaths: Path[] = [[], ...paths.filter((p) => isPlainObject(getAt(valid, p)))];
  const options: fc.Arbitrary<Mutation>[] = [
    hostileValue.map((value) => ({ kind: "replace", value }) as const),
    fc
      .tuple(
        fc.constantFrom(...objectPaths),
        fc.constantFrom("extra", "__proto__", "constructor", "id", "role"),
        hostileValue,
      )
      .map(([path, key, value]) => ({ kind: "unknownField", path, key, value }) as const),
  ];
  if (paths.length) {
    options.push(
      fc
        .tuple(fc.constantFrom(...paths), hostileValue)
        .map(([path, value]) => ({ kind: "set", path, value }) as const),
      fc.constantFrom(...paths).map((path) => ({ kind: "delete", path }) as const),
    );
  }
  return fc.oneof(...options);
}

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)?.[k], v);
}

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

/** A short, printable description of a mutation for failure messages. */
export function describeMutation(m: Mutation): string {
  const show = (v: unknown) => {
    try {
      const s =
        typeof v === "bigint" ? `${v}n` : v instanceof Date ? `Date(${v.getTime()})` : JSON.stringify(v);
      return (s ?? String(v)).slice(0, 80);
    } catch {
      return "<unprintable value>"; // e.g. an object with Date's prototype that is not a Date
    }
  };
  if (m.kind === "replace") return `replace input with ${show(m.value)}`;
  if (m.kind === "delete") return `delete ${m.path.join(".")}`;
  if (m.kind === "set") return `set ${m.path.join(".")} = ${show(m.value)}`;
  return `add ${[...m.path, m.key].join(".")} = ${show(m.value)}`;
}
