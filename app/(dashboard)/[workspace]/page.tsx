import { FileText, Mail, UserPlus, Users, UsersRound } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { ActivityFeed } from "@/components/dashboard/activity-feed";
import { PageHeader } from "@/components/dashboard/shell";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { loadWorkspacePage } from "@/server/page-context";
import { listActivity } from "@/server/services/activity";
import { countWorkspaceRecords } from "@/server/services/overview";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { db, workspace, user } = await loadWorkspacePage((await params).workspace);
  const [counts, activity] = await Promise.all([
    countWorkspaceRecords(db, workspace.id),
    listActivity(db, workspace.id, { page: 1, pageSize: 8 }),
  ]);
  const stats = [
    { label: "Content items", value: counts.content, icon: FileText, testId: "stat-content" },
    { label: "Leads", value: counts.leads, icon: Users, testId: "stat-leads" },
    { label: "Email campaigns", value: counts.campaigns, icon: Mail, testId: "stat-campaigns" },
    { label: "Members", value: counts.members, icon: UsersRound, testId: "stat-members" },
  ];
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome${user.name ? `, ${user.name}` : ""}. Here is what ${workspace.name} holds today.`}
        actions={
          workspace.role === "owner" || workspace.role === "admin" ? (
            <Link
              href={`/${workspace.slug}/settings/members`}
              className={buttonVariants({ variant: "outline" })}
            >
              <UserPlus className="size-4" aria-hidden /> Invite teammates
            </Link>
          ) : null
        }
      />
      <section aria-label="Totals" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {stats.map((s) => (
          <Card key={s.label} className="gap-2 py-4" data-testid={s.testId}>
            <CardHeader className="px-4">
              <CardDescription className="flex items-center gap-2">
                <s.icon className="size-4" aria-hidden /> {s.label}
              </CardDescription>
            </CardHeader>
            <CardContent className="px-4">
              <p className="text-2xl font-semibold tabular-nums">{s.value.toLocaleString("en-US")}</p>
              <p className="text-xs text-muted-foreground">total stored, counted just now</p>
            </CardContent>
          </Card>
        ))}
      </section>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Performance</CardTitle>
            <CardDescription>
              Revenue, views and engagement appear here once content is published and integrations are
              connected. Nothing is estimated in the meantime.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <div className="flex h-40 items-center justify-center rounded-lg border border-dashed text-sm text-muted-foreground">
              No performance data yet
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Recent activity</CardTitle>
            <CardDescription>
              <Link
                href={`/${workspace.slug}/settings/activity`}
                className="underline-offset-4 hover:underline"
              >
                See all activity
              </Link>
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ActivityFeed items={activity.items} timeZone={workspace.timeZone} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
