import { cn, initials } from "@/lib/utils";

/** The workspace's logo, or its initials on the brand colour when it has none. */
export function BlogMark({
  name,
  logoUrl,
  className,
}: {
  name: string;
  logoUrl: string | null;
  className?: string;
}) {
  if (logoUrl) {
    return (
      // biome-ignore lint/performance/noImgElement: logos are arbitrary remote URLs, not optimizable assets
      <img src={logoUrl} alt="" className={cn("size-8 shrink-0 rounded-lg object-cover", className)} />
    );
  }
  return (
    <span
      aria-hidden
      className={cn(
        "flex size-8 shrink-0 items-center justify-center rounded-lg bg-primary font-semibold text-primary-foreground text-xs",
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}
