import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OutboxMessage } from "@/components/email/outbox";

export const metadata: Metadata = { title: "Outbox message" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function OutboxMessageRoute({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  return <OutboxMessage id={id} />;
}
