import type { Metadata } from "next";
import { BrandSettingsForm } from "@/components/settings/brand-settings";

export const metadata: Metadata = { title: "Brand" };

export default function BrandSettingsPage() {
  return <BrandSettingsForm />;
}
