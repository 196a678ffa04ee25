import { SproutIcon } from "@/components/ui/static-icons";
import { cn } from "@/lib/utils";

export function Logo({ className, withName = true }: { className?: string; withName?: boolean }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight", className)}>
      <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <SproutIcon className="size-4" aria-hidden />
      </span>
      {withName && <span>Organic</span>}
    </span>
  );
}
