"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/dashboard/shell";
import { useWorkspace } from "@/components/dashboard/workspace-context";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { ContentTab } from "./content-tab";
import { EmailTab } from "./email-tab";
import { FunnelTab } from "./funnel-tab";
import { LeadsTab } from "./leads-tab";
import { RangePicker } from "./range-picker";
import { RevenueTab } from "./revenue-tab";
import { useAnalyticsLive } from "./use-analytics-live";
import { useRange } from "./use-range";

const TABS = ["content", "email", "leads", "revenue", "funnel"] as const;
type Tab = (typeof TABS)[number];

export function AnalyticsPage() {
  const ws = useWorkspace();
  const { range, setRange } = useRange("30d");
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  useAnalyticsLive(ws.id);
  const t = params.get("tab") as Tab | null;
  const tab: Tab = t && TABS.includes(t) ? t : "content";
  const setTab = (next: string) => {
    const q = new URLSearchParams(params.toString());
    q.set("tab", next);
    router.replace(`${pathname}?${q.toString()}`, { scroll: false });
  };
  return (
    <>
      <PageHeader
        title="Analytics"
        description={`What your content, emails and leads earned — days in ${ws.timeZone}.`}
        actions={<RangePicker value={range} onChange={setRange} />}
      />
      <Tabs value={tab} onValueChange={setTab}>
        <TabsList aria-label="Analytics sections" className="mb-4 flex-wrap">
          <TabsTrigger value="content">Content</TabsTrigger>
          <TabsTrigger value="email">Email</TabsTrigger>
          <TabsTrigger value="leads">Leads</TabsTrigger>
          <TabsTrigger value="revenue">Revenue</TabsTrigger>
          <TabsTrigger value="funnel">Funnel</TabsTrigger>
        </TabsList>
        <TabsContent value="content">{tab === "content" && <ContentTab range={range} />}</TabsContent>
        <TabsContent value="email">{tab === "email" && <EmailTab range={range} />}</TabsContent>
        <TabsContent value="leads">{tab === "leads" && <LeadsTab range={range} />}</TabsContent>
        <TabsContent value="revenue">{tab === "revenue" && <RevenueTab range={range} />}</TabsContent>
        <TabsContent value="funnel">{tab === "funnel" && <FunnelTab range={range} />}</TabsContent>
      </Tabs>
    </>
  );
}
