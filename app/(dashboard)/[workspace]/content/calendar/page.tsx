import type { Metadata } from "next";
import { Suspense } from "react";
import { ContentCalendar } from "@/components/content/content-calendar";

export const metadata: Metadata = { title: "Content calendar" };

export default function ContentCalendarPage() {
  return (
    <Suspense>
      <ContentCalendar />
    </Suspense>
  );
}
