import type { LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";
import { Button } from "@/components/ui/button";

/** A button that navigates: a Next.js link styled as a Button, with a leading icon. */
export function LinkButton({
  href,
  icon: Icon,
  variant = "outline",
  size,
  className,
  testId,
  children,
}: {
  href: string;
  icon?: LucideIcon;
  variant?: ComponentProps<typeof Button>["variant"];
  size?: ComponentProps<typeof Button>["size"];
  className?: string;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <Button variant={variant} size={size} className={className} asChild>
      <Link href={href} data-testid={testId}>
        {Icon && <Icon aria-hidden />}
        {children}
      </Link>
    </Button>
  );
}
