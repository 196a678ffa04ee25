"use client";

import { ApprovalNotice } from "@/components/approvals/approval-notice";
import type { ContentItem } from "./content-meta";
import { PlatformGroup } from "./platform-group";
import { PostEverywhereButton } from "./post-everywhere-button";
import { StatusActions } from "./status-actions";
import { StatusDetails } from "./status-details";

/** The editor's status strip: where the item stands and the lifecycle actions allowed from there. */
export function StatusPanel({ item }: { item: ContentItem }) {
  return (
    <section
      aria-label="Status"
      className="mb-6 flex flex-col gap-3 rounded-lg border bg-card p-4"
      data-testid="status-panel"
    >
      <StatusDetails item={item} />
      <ApprovalNotice
        entityType="content"
        entityId={item.id}
        title={item.title}
        isDraft={item.status === "draft" || item.status === "failed"}
      />
      <StatusActions item={item}>
        <PostEverywhereButton item={item} />
      </StatusActions>
      <PlatformGroup item={item} />
    </section>
  );
}
