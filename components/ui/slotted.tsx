import type * as React from "react";
import { cn } from "@/lib/utils";

/**
 * The shadcn/ui wrapper that only names its part and adds base classes: renders `Component` with
 * `data-slot={slot}` and `className={cn(baseClassName, className)}`, passing every other prop (ref
 * included) through. Parts with their own markup or logic stay written out as functions.
 */
export function slotted<C extends React.ElementType>(Component: C, slot: string, baseClassName?: string) {
  const Part: React.ElementType = Component;
  function Slotted(props: React.ComponentProps<C>) {
    if (baseClassName === undefined) return <Part data-slot={slot} {...props} />;
    const { className, ...rest } = props as { className?: string };
    return <Part data-slot={slot} className={cn(baseClassName, className)} {...rest} />;
  }
  return Slotted;
}
