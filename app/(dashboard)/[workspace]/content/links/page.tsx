import type { Metadata } from "next";
import { headers } from "next/headers";
import { LinksPage } from "@/components/links/links-page";
import { requestBaseUrl } from "@/server/session";

export const metadata: Metadata = { title: "Links" };

export default async function TrackedLinksPage() {
  // Short links are shown at the public address (APP_URL), else the one this page was opened at.
  return <LinksPage baseUrl={requestBaseUrl(await headers())} />;
}
