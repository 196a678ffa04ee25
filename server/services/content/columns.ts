import "server-only";
import { content, contentMetrics, users } from "@/server/db/schema";

/** The columns of a content item as the list and the editor read it: its author and latest metrics. */
export const columns = {
  id: content.id,
  workspaceId: content.workspaceId,
  type: content.type,
  status: content.status,
  title: content.title,
  slug: content.slug,
  body: content.body,
  mediaUrls: content.mediaUrls,
  metadata: content.metadata,
  scheduledAt: content.scheduledAt,
  publishedAt: content.publishedAt,
  groupId: content.groupId,
  createdAt: content.createdAt,
  updatedAt: content.updatedAt,
  author: { id: users.id, name: users.name, email: users.email, avatarUrl: users.avatarUrl },
  metrics: {
    views: contentMetrics.views,
    likes: contentMetrics.likes,
    shares: contentMetrics.shares,
    saves: contentMetrics.saves,
    clicks: contentMetrics.clicks,
    conversions: contentMetrics.conversions,
    revenue: contentMetrics.revenue,
    updatedAt: contentMetrics.updatedAt,
  },
};

const EMPTY_METRICS = {
  views: 0,
  likes: 0,
  shares: 0,
  saves: 0,
  clicks: 0,
  conversions: 0,
  revenue: "0.00",
  updatedAt: null,
};

type JoinedRow = {
  author: { id: string | null; name: string | null; email: string | null; avatarUrl: string | null } | null;
  metrics: Record<string, unknown> | null;
};

export function shape<T extends JoinedRow>(row: T) {
  return {
    ...row,
    author: row.author?.id ? row.author : null,
    metrics: row.metrics && row.metrics.views !== null ? row.metrics : EMPTY_METRICS,
  };
}
