import type { LucideIcon } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "./shell";

/** An honest placeholder for a section whose feature has not shipped yet: no fake numbers. */
export function SectionNotBuilt({
  title,
  description,
  icon,
  what,
  count,
}: {
  title: string;
  description: string;
  icon: LucideIcon;
  what: string;
  count?: { label: string; value: number };
}) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState
        icon={icon}
        title={`${title} is not available in this version yet`}
        description={
          <>
            {what}
            {count && (
              <span className="mt-2 block">
                This workspace has <strong>{count.value.toLocaleString("en-US")}</strong> {count.label} stored
                (created through the CLI or seed data).
              </span>
            )}
          </>
        }
      />
    </>
  );
}
