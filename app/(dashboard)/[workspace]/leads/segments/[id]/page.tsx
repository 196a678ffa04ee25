import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SegmentEditor } from "@/components/segments/segment-editor";

export const metadata: Metadata = { title: "Segment" };

export default async function SegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(id)) notFound();
  return <SegmentEditor segmentId={id} />;
}
