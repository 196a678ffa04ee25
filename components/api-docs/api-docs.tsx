import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import { resolveRef, SchemaView, typeLabel } from "./schema-view";

type Json = Record<string, unknown>;

const METHOD_STYLE: Record<string, string> = {
  get: "border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300",
  post: "border-emerald-500/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-300",
  patch: "border-amber-500/30 bg-amber-500/10 text-amber-800 dark:text-amber-300",
  delete: "border-red-500/30 bg-red-500/10 text-red-700 dark:text-red-300",
};

interface Endpoint {
  method: string;
  path: string;
  op: Json;
}

function endpointsOf(doc: Json): Endpoint[] {
  const out: Endpoint[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) out.push({ method, path, op: op as Json });
  }
  return out;
}

const anchor = (e: Endpoint) => `op-${(e.op.operationId as string).replace(/\./g, "-")}`;

function curlFor(base: string, e: Endpoint): string {
  const params = ((e.op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === "path");
  const path = e.path.replace(/\{(\w+)\}/g, (_, n: string) =>
    params.some((p) => p.name === n) ? `<${n}>` : n,
  );
  const lines = [
    `curl -X ${e.method.toUpperCase()} "${base}/api/v1${path}"`,
    `  -H "Authorization: Bearer $ORGANIC_API_KEY"`,
  ];
  const body = e.op.requestBody as Json | undefined;
  const content = body?.content as Record<string, Json> | undefined;
  if (content?.["text/csv"]) {
    lines.push(`  -H "Content-Type: text/csv"`, "  --data-binary @leads.csv");
  } else if (content?.["application/json"]) {
    const example = content["application/json"].example;
    if (example !== undefined || body?.required) {
      lines.push(`  -H "Content-Type: application/json"`);
      lines.push(`  -d '${JSON.stringify(example ?? {})}'`);
    }
  }
  if (e.method === "post") lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
  return lines.join(" \\\n");
}

function ParamTable({ doc, params }: { doc: Json; params: Json[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-muted-foreground text-xs">
          <tr>
            <th className="py-1 pr-3 font-medium">Name</th>
            <th className="py-1 pr-3 font-medium">In</th>
            <th className="py-1 pr-3 font-medium">Type</th>
            <th className="py-1 font-medium">Description</th>
          </tr>
        </thead>
        <tbody>
          {params.map((raw) => {
            const p = resolveRef(doc, raw);
            const schema = (p.schema as Json | undefined) ?? {};
            return (
              <tr key={`${p.in}-${p.name}`} className="border-t align-top">
                <td className="py-1.5 pr-3 font-mono">
                  {p.name as string}
                  {p.required ? <span className="ml-1 text-destructive text-xs">required</span> : null}
                </td>
                <td className="py-1.5 pr-3 text-muted-foreground">{p.in as string}</td>
                <td className="py-1.5 pr-3 font-mono text-xs">
                  {typeLabel(doc, schema)}
                  {"default" in schema ? (
                    <span className="text-muted-foreground"> = {JSON.stringify(schema.default)}</span>
                  ) : null}
                </td>
                <td className="py-1.5 text-muted-foreground">
                  {(p.description as string | undefined) ?? (schema.description as string | undefined) ?? ""}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function EndpointCard({ doc, base, e }: { doc: Json; base: string; e: Endpoint }) {
  const params = (e.op.parameters as Json[] | undefined) ?? [];
  const body = e.op.requestBody as Json | undefined;
  const bodyContent = body?.content as Record<string, Json> | undefined;
  const responses = Object.entries(e.op.responses as Record<string, Json>).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const scope = e.op["x-scope"] as string;
  return (
    <Card id={anchor(e)} className="scroll-mt-20" data-testid="api-endpoint">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          <Badge variant="outline" className={cn("font-mono uppercase", METHOD_STYLE[e.method])}>
            {e.method}
          </Badge>
          <code className="font-mono font-semibold text-sm">/api/v1{e.path}</code>
          <Badge variant={scope === "write" ? "warning" : "secondary"}>{scope} scope</Badge>
        </div>
        <CardTitle className="text-base">{e.op.summary as string}</CardTitle>
        {e.op.description ? (
          <CardDescription className="whitespace-pre-line">
            {(e.op.description as string).replace(/\n\nRequires a key with the `\w+` scope\.$/, "")}
          </CardDescription>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {params.length ? (
          <section className="grid gap-1">
            <h4 className="font-medium text-sm">Parameters</h4>
            <ParamTable doc={doc} params={params} />
          </section>
        ) : null}
        {bodyContent ? (
          <section className="grid gap-2">
            <h4 className="font-medium text-sm">
              Request body{" "}
              <span className="font-normal text-muted-foreground text-xs">
                {Object.keys(bodyContent).join(", ")}
              </span>
            </h4>
            {bodyContent["application/json"] ? (
              <SchemaView doc={doc} schema={(bodyContent["application/json"].schema as Json) ?? {}} />
            ) : (
              <p className="text-muted-foreground text-sm">A CSV file with a header row, as the raw body.</p>
            )}
          </section>
        ) : null}
        <section className="grid gap-1">
          <h4 className="font-medium text-sm">Responses</h4>
          <ul className="grid gap-1">
            {responses.map(([status, raw]) => {
              const r = resolveRef(doc, raw);
              const content = r.content as Record<string, Json> | undefined;
              const schema = content?.["application/json"]?.schema as Json | undefined;
              const ok = status.startsWith("2");
              return (
                <li key={status} className="text-sm">
                  <span
                    className={cn("font-mono font-medium", ok ? "text-success" : "text-muted-foreground")}
                  >
                    {status}
                  </span>{" "}
                  <span className="text-muted-foreground">{r.description as string}</span>
                  {ok && schema && Object.keys(schema).length ? (
                    <details className="mt-1 rounded-md border px-3 py-2">
                      <summary className="cursor-pointer text-xs">Response schema</summary>
                      <div className="mt-2">
                        <SchemaView doc={doc} schema={schema} />
                      </div>
                    </details>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
        <section className="grid gap-1">
          <h4 className="font-medium text-sm">Example</h4>
          <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">{curlFor(base, e)}</pre>
        </section>
      </CardContent>
    </Card>
  );
}

/**
 * The REST API reference, rendered on the server from the OpenAPI document (no script, no CDN:
 * it works under the strict CSP and offline).
 */
export function ApiDocs({ doc, baseUrl }: { doc: Json; baseUrl: string }) {
  const endpoints = endpointsOf(doc);
  const tags = (doc.tags as { name: string; description?: string }[]) ?? [];
  const info = doc.info as Json;
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>REST API reference</CardTitle>
          <CardDescription>
            Base URL <code className="font-mono">{baseUrl}/api/v1</code> · OpenAPI 3.1 document:{" "}
            <a className="underline underline-offset-2" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 text-sm">
          <ul className="grid list-disc gap-1 pl-5">
            <li>
              Send an API key as <code className="font-mono">Authorization: Bearer org_live_…</code>. Cookies
              are not accepted: a signed-in browser session cannot call this API.
            </li>
            {(info.description as string)
              .split("\n")
              .filter((l) => l.startsWith("- "))
              .map((l) => (
                <li key={l}>{l.slice(2).replaceAll("`", "")}</li>
              ))}
            <li>
              Browsers may call the API from the origins the server allows in{" "}
              <code className="font-mono">API_CORS_ORIGINS</code> (none by default).
            </li>
          </ul>
          <nav aria-label="Endpoints" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {tags.map((tag) => (
              <div key={tag.name} className="grid content-start gap-1">
                <h3 className="font-medium">{tag.name}</h3>
                <ul className="grid content-start gap-0.5">
                  {endpoints
                    .filter((e) => (e.op.tags as string[]).includes(tag.name))
                    .map((e) => (
                      <li key={anchor(e)}>
                        <a href={`#${anchor(e)}`} className="flex items-center gap-2 hover:underline">
                          <span className="w-12 font-mono text-muted-foreground text-xs uppercase">
                            {e.method}
                          </span>
                          <span className="font-mono text-xs">{e.path}</span>
                        </a>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </nav>
        </CardContent>
      </Card>
      {tags.map((tag) => (
        <section key={tag.name} className="grid gap-4" aria-labelledby={`tag-${tag.name}`}>
          <div>
            <h2 id={`tag-${tag.name}`} className="font-semibold text-lg">
              {tag.name}
            </h2>
            {tag.description ? <p className="text-muted-foreground text-sm">{tag.description}</p> : null}
          </div>
          {endpoints
            .filter((e) => (e.op.tags as string[]).includes(tag.name))
            .map((e) => (
              <EndpointCard key={anchor(e)} doc={doc} base={baseUrl} e={e} />
            ))}
        </section>
      ))}
      <Card>
        <CardHeader>
          <CardTitle>Outgoing webhooks</CardTitle>
          <CardDescription>
            Registered in Settings → Webhooks; signed per Standard Webhooks (webhook-id, webhook-timestamp,
            webhook-signature).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="flex flex-wrap gap-2">
            {Object.keys((doc.webhooks as Json) ?? {}).map((event) => (
              <li key={event}>
                <Badge variant="outline" className="font-mono">
                  {event}
                </Badge>
              </li>
            ))}
          </ul>
        </CardContent>
      </Card>
    </div>
  );
}
