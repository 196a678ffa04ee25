"use client";

import { Avatar as AvatarPrimitive } from "radix-ui";
import { slotted } from "@/components/ui/slotted";

const Avatar = slotted(
  AvatarPrimitive.Root,
  "avatar",
  "relative flex size-8 shrink-0 overflow-hidden rounded-full",
);

const AvatarImage = slotted(AvatarPrimitive.Image, "avatar-image", "aspect-square size-full object-cover");

const AvatarFallback = slotted(
  AvatarPrimitive.Fallback,
  "avatar-fallback",
  "flex size-full select-none items-center justify-center rounded-full bg-muted font-medium text-foreground text-xs",
);

export { Avatar, AvatarFallback, AvatarImage };
