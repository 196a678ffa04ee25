export const date = (d: string | Date | null | undefined) =>
  d ? new Date(d).toLocaleDateString(undefined, { month: "short", day: "numeric" }) : "—";

export function statusVariant(s: string): "success" | "warning" | "destructive" | "secondary" | "outline" {
  const v = s.toLowerCase();
  if (v === "complete") return "success";
  if (v === "cancelled" || v === "unfulfillable" || v === "invalid" || v === "notcreated")
    return "destructive";
  if (v === "processing" || v === "completepartialled") return "warning";
  return "secondary";
}
