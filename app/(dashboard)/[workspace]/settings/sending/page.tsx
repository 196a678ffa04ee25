import type { Metadata } from "next";
import { SenderSettingsForm } from "@/components/email/sender-settings-form";

export const metadata: Metadata = { title: "Sending" };

export default function SendingSettingsPage() {
  return <SenderSettingsForm />;
}
