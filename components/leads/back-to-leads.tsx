import { ArrowLeft } from "lucide-react";
import Link from "next/link";

/** The "← Leads" link above a page that sits under the leads list. */
export function BackToLeads({ slug }: { slug: string }) {
  return (
    <Link
      href={`/${slug}/leads`}
      className="mb-3 inline-flex items-center gap-1 text-muted-foreground text-sm hover:text-foreground"
    >
      <ArrowLeft className="size-4" aria-hidden />
      Leads
    </Link>
  );
}
