import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ContentEditorPage } from "@/components/content/content-editor-page";

export const metadata: Metadata = { title: "Edit content" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function EditContentRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <ContentEditorPage id={id} />;
}
