import type { Metadata } from "next";
import { Suspense } from "react";
import { ContentList } from "@/components/content/content-list";

export const metadata: Metadata = { title: "Content" };

export default function ContentPage() {
  return (
    <Suspense>
      <ContentList />
    </Suspense>
  );
}
