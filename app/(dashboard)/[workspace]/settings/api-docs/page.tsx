import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiDocs } from "@/components/api-docs/api-docs";
import { openApiDocument } from "@/server/api/rest/openapi";
import { requestBaseUrl } from "@/server/session";

export const metadata: Metadata = { title: "REST API reference" };

export default async function ApiDocsPage() {
  const baseUrl = requestBaseUrl(await headers());
  return <ApiDocs doc={openApiDocument()} baseUrl={baseUrl} />;
}
