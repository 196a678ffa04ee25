import type { Metadata } from "next";
import { FormsSettings } from "@/components/forms/forms-settings";

export const metadata: Metadata = { title: "Signup forms" };

export default function FormsSettingsPage() {
  return <FormsSettings />;
}
