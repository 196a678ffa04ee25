import type { Metadata } from "next";
import { NewContentPage } from "@/components/content/new-content-page";

export const metadata: Metadata = { title: "New content" };

function first(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}

export default async function NewContentRoute({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const sp = await searchParams;
  return <NewContentPage type={first(sp.type)} date={first(sp.date)} time={first(sp.time)} />;
}
