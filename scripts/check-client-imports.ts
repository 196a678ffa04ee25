/**
 * `npm run lint` (after the cycle check): browser code never imports server code. Starting from every
 * "use client" file, follows the value imports that stay in components/, hooks/ and lib/ and fails on
 * any value import of a file under server/ — the client bundle would carry it (and a `server-only`
 * file breaks the build at best). What the browser needs of the server goes to a client-safe module
 * both import (lib/enums.ts for enum values; types stay `import type`, which the compiler erases).
 *
 * The one sanctioned way in is a domain's shared schema module, `server/services/<domain>/schemas.ts`
 * (or `*-schemas.ts`): STYLE.md rule 4 puts Zod schemas beside their service, importable by forms.
 * Such a file is walked too and may itself import only other schema modules, lib/ and packages that
 * are not the database or Node built-ins — so a form never drags Drizzle or `pg` into the browser.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

/** Folders whose files are browser code when a "use client" file reaches them. */
const CLIENT_FOLDERS = ["components/", "hooks/", "lib/"];
/** Server files a client form may import: a domain's shared Zod schemas. */
const SHARED_SCHEMA = /^server\/services\/(?:[\w-]+\/)*(?:[\w-]+-)?schemas\.ts$/;
/** Packages a shared schema module must not import: they are the server's. */
const SERVER_PACKAGES =
  /^(?:node:|pg$|pg-|drizzle-orm|@electric-sql|bullmq|ioredis|server-only$|next\/headers)/;

export interface ImportRef {
  specifier: string;
  typeOnly: boolean;
}

/** The static and dynamic imports (and re-exports) of one source text. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKind(fileName));
  const out: ImportRef[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allInlineTypes =
        clause !== undefined &&
        !clause.name &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      out.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: Boolean(clause?.isTypeOnly) || allInlineTypes,
      });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const named = node.exportClause;
      const allInlineTypes =
        named !== undefined &&
        ts.isNamedExports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      out.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allInlineTypes });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      out.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function scriptKind(fileName: string) {
  return fileName.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** A "use client" directive before any statement. */
export function isClientEntry(text: string): boolean {
  return /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use client["']/.test(text);
}

/** The repo-relative file an import points to, or null for a package. */
export function resolveImport(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const full = path.join(root, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return base; // unresolved: report it under its own name
}

export interface Violation {
  /** The chain from a "use client" file to the offending import. */
  chain: string[];
  target: string;
  reason: string;
}

export function checkClientImports(
  root: string,
  files: string[],
  read: (file: string) => string = (f) => fs.readFileSync(path.join(root, f), "utf8"),
): Violation[] {
  const violations: Violation[] = [];
  const parents = new Map<string, string | null>();
  const queue: string[] = [];
  for (const f of files) {
    if (CLIENT_FOLDERS.some((d) => f.startsWith(d)) || f.startsWith("app/")) {
      if (isClientEntry(read(f))) {
        parents.set(f, null);
        queue.push(f);
      }
    }
  }
  const chainTo = (f: string) => {
    const chain: string[] = [];
    for (let at: string | null | undefined = f; at; at = parents.get(at)) chain.unshift(at);
    return chain;
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    const inSharedSchema = SHARED_SCHEMA.test(file);
    for (const ref of importsOf(file, read(file))) {
      if (ref.typeOnly) continue;
      const target = resolveImport(root, file, ref.specifier);
      if (target === null) {
        if (inSharedSchema && SERVER_PACKAGES.test(ref.specifier)) {
          violations.push({
            chain: chainTo(file),
            target: ref.specifier,
            reason: "server package in a shared schema",
          });
        }
        continue;
      }
      if (target.startsWith("server/") && !SHARED_SCHEMA.test(target)) {
        violations.push({ chain: chainTo(file), target, reason: "server module" });
        continue;
      }
      const followed = CLIENT_FOLDERS.some((d) => target.startsWith(d)) || SHARED_SCHEMA.test(target);
      if (followed && !parents.has(target) && fs.existsSync(path.join(root, target))) {
        parents.set(target, file);
        queue.push(target);
      }
    }
  }
  return violations;
}

export function clientSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(entry.name)) out.push(rel);
    }
  };
  for (const d of ["app", "components", "hooks", "lib"]) if (fs.existsSync(path.join(root, d))) walk(d);
  return out.sort();
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const violations = checkClientImports(root, clientSourceFiles(root));
  if (violations.length === 0) {
    console.log("check-client-imports: no browser code imports a server module");
    return;
  }
  console.error(
    `check-client-imports: ${violations.length} server import(s) reachable from "use client" files:`,
  );
  for (const v of violations) {
    console.error(`  ${[...v.chain, v.target].join(" → ")}  (${v.reason})`);
  }
  console.error(
    "Move what the browser needs into a client-safe module (lib/enums.ts for enum values), use `import type` for types.",
  );
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
