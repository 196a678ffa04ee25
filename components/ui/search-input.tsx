import { Search } from "lucide-react";
import { Input } from "@/components/ui/input";

/** A list toolbar's search box: a magnifier inside a search input (search terms are capped at 200). */
export function SearchInput({
  value,
  onChange,
  placeholder,
  label,
  testId,
  className,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  /** The accessible name, e.g. "Search by title". */
  label: string;
  testId: string;
  /** Classes of the wrapper, for its width. */
  className?: string;
}) {
  return (
    <div className={className ? `relative ${className}` : "relative"}>
      <Search
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <Input
        type="search"
        placeholder={placeholder}
        aria-label={label}
        className="pl-8"
        value={value}
        maxLength={200}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
      />
    </div>
  );
}
