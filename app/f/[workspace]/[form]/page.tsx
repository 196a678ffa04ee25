import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HostedForm } from "@/components/forms/hosted-form";
import { getDb } from "@/server/db";
import { NotFoundError } from "@/server/errors";
import { getHostedForm } from "@/server/services/forms/forms";
import { decodeFeedback } from "@/server/services/forms/http";

export const dynamic = "force-dynamic";

type Params = { workspace: string; form: string };
type Search = Record<string, string | string[] | undefined>;

async function load(p: Params) {
  try {
    return await getHostedForm(await getDb(), p.workspace, p.form);
  } catch (err) {
    if (err instanceof NotFoundError) notFound();
    throw err;
  }
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { form, workspace } = await load(await params);
  return { title: `${form.settings.title || form.name} · ${workspace.name}`, robots: { index: false } };
}

/**
 * Public, server-rendered signup page; works without JavaScript and inside an iframe on other sites
 * (`?embed=1` drops the page chrome). Framing headers are set by the app-wide security headers.
 */
export default async function HostedFormPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Search>;
}) {
  const p = await params;
  const q = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const data = await load(p);
  return (
    <HostedForm
      {...data}
      action={`/api/forms/${encodeURIComponent(p.workspace)}/${encodeURIComponent(p.form)}`}
      ok={one(q.ok) === "1"}
      pending={one(q.pending) === "1"}
      embed={one(q.embed) === "1"}
      clickId={/^[0-9a-f-]{36}$/i.test(one(q.ocid) ?? "") ? one(q.ocid) : null}
      feedback={decodeFeedback(one(q.e))}
    />
  );
}
