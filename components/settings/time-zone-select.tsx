"use client";

import { type ComponentProps, useMemo } from "react";
import {
  Select,
  SelectContent,
  SelectGroup,
  SelectItem,
  SelectLabel,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";

interface Zone {
  id: string;
  label: string;
  offset: string;
}

let cached: Map<string, Zone[]> | null = null;

function offsetOf(timeZone: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value;
    return part === "GMT" ? "GMT+00:00" : (part ?? "");
  } catch {
    return "";
  }
}

function toZone(id: string): Zone {
  return { id, label: id.replaceAll("_", " ").replaceAll("/", " / "), offset: offsetOf(id) };
}

/** Time zones grouped by region ("Europe", "America", …), computed once per page load. */
function zonesByRegion(): Map<string, Zone[]> {
  if (cached) return cached;
  const ids = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const groups = new Map<string, Zone[]>([["UTC", [toZone("UTC")]]]);
  for (const id of ids) {
    if (id === "UTC") continue;
    const region = id.includes("/") ? id.slice(0, id.indexOf("/")) : "Other";
    const list = groups.get(region) ?? [];
    list.push(toZone(id));
    groups.set(region, list);
  }
  cached = groups;
  return groups;
}

type TriggerProps = Omit<ComponentProps<typeof SelectTrigger>, "children">;

export function TimeZoneSelect({
  value,
  onValueChange,
  disabled,
  className,
  ...triggerProps
}: TriggerProps & { value: string; onValueChange: (tz: string) => void }) {
  const groups = useMemo(() => {
    const all = zonesByRegion();
    const known = [...all.values()].some((zones) => zones.some((z) => z.id === value));
    // Keep a stored zone selectable even if this browser lists it under another name.
    return known || !value ? all : new Map([["Current", [toZone(value)]], ...all]);
  }, [value]);

  return (
    <Select value={value} onValueChange={onValueChange} disabled={disabled}>
      <SelectTrigger className={className ?? "w-full"} {...triggerProps}>
        <SelectValue placeholder="Choose a time zone" />
      </SelectTrigger>
      <SelectContent className="max-h-80">
        {[...groups].map(([region, zones]) => (
          <SelectGroup key={region}>
            <SelectLabel>{region}</SelectLabel>
            {zones.map((z) => (
              <SelectItem key={z.id} value={z.id} textValue={z.id}>
                <span className="truncate">{z.label}</span>
                <span className="ml-auto pl-3 text-xs text-muted-foreground tabular-nums">{z.offset}</span>
              </SelectItem>
            ))}
          </SelectGroup>
        ))}
      </SelectContent>
    </Select>
  );
}
