import type { Metadata } from "next";
import { OutboxList } from "@/components/email/outbox";

export const metadata: Metadata = { title: "Outbox" };

export default function OutboxPage() {
  return <OutboxList />;
}
