"use client";

import { CardSection } from "@/components/ui/card-section";
import { OptionSelect } from "@/components/ui/option-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { OtherColumn } from "@/lib/import-columns";
import { KEPT_FIELD_TYPES, type KeptFieldType } from "@/server/services/leads-import/schemas";

const KEEP = "keep";
const IGNORE = "ignore";
const typeLabel = { text: "Text", number: "Number", date: "Date (YYYY-MM-DD)" } as const;

/** A safe test id for a column name ("Company Name" → "company-name"). */
export const columnTestId = (header: string) =>
  header
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/**
 * The columns no lead field takes: each is kept as a custom field (an existing one with the same
 * key, or a new one of the chosen type) unless the person picks "Ignore".
 */
export function OtherColumns(props: {
  columns: OtherColumn[];
  sample: (header: string) => string;
  onKeep: (header: string, keep: boolean) => void;
  onType: (header: string, type: KeptFieldType) => void;
}) {
  if (props.columns.length === 0) return null;
  return (
    <CardSection
      title="Other columns"
      description="Columns not matched above. Kept columns are saved in each lead's custom fields; new fields are created when the import starts."
      contentClassName="overflow-x-auto"
    >
      <Table data-testid="import-other-columns">
        <TableHeader>
          <TableRow>
            <TableHead>Column</TableHead>
            <TableHead className="hidden sm:table-cell">First value</TableHead>
            <TableHead>What to do</TableHead>
            <TableHead>Custom field</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {props.columns.map((c) => {
            const id = columnTestId(c.header);
            return (
              <TableRow key={c.header} data-testid={`import-other-${id}`}>
                <TableCell className="font-medium">{c.header}</TableCell>
                <TableCell className="hidden max-w-[12rem] truncate text-muted-foreground sm:table-cell">
                  {props.sample(c.header) || "—"}
                </TableCell>
                <TableCell className="w-52">
                  <OptionSelect
                    label={`What to do with the column ${c.header}`}
                    testId={`import-keep-${id}`}
                    value={c.keep ? KEEP : IGNORE}
                    disabled={Boolean(c.conflict)}
                    onChange={(v) => props.onKeep(c.header, v === KEEP)}
                    options={[
                      { value: KEEP, label: "Keep as custom field" },
                      { value: IGNORE, label: "Ignore" },
                    ]}
                  />
                </TableCell>
                <TableCell className="text-sm">
                  {c.conflict ? (
                    <span className="text-muted-foreground">Ignored: {c.conflict}</span>
                  ) : !c.keep ? (
                    <span className="text-muted-foreground">Not imported</span>
                  ) : c.existing ? (
                    <span>
                      Fills your field “{c.fieldLabel}”{" "}
                      <span className="text-muted-foreground">({c.type})</span>
                    </span>
                  ) : (
                    <div className="flex items-center gap-2">
                      <span className="whitespace-nowrap">New “{c.fieldLabel}”</span>
                      <OptionSelect
                        label={`Type of the new field ${c.fieldLabel}`}
                        testId={`import-type-${id}`}
                        className="w-44"
                        value={c.type}
                        onChange={(v) => v && props.onType(c.header, v as KeptFieldType)}
                        options={KEPT_FIELD_TYPES.map((t) => ({ value: t, label: typeLabel[t] }))}
                      />
                    </div>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </CardSection>
  );
}

/** Before the start button: exactly which columns the import leaves out, and which fields it adds. */
export function ImportSummary({ columns }: { columns: OtherColumn[] }) {
  const ignored = columns.filter((c) => !c.keep);
  const created = columns.filter((c) => c.keep && !c.existing);
  return (
    <div className="grid gap-1 rounded-md border bg-muted/40 px-3 py-2 text-sm" data-testid="import-summary">
      <p data-testid="import-ignored">
        {ignored.length === 0 ? (
          "No column will be ignored: every column is imported."
        ) : (
          <>
            <span className="font-medium">
              {ignored.length === 1
                ? "1 column will be ignored"
                : `${ignored.length} columns will be ignored`}
              :
            </span>{" "}
            {ignored.map((c) => c.header).join(", ")}
          </>
        )}
      </p>
      {created.length > 0 && (
        <p data-testid="import-new-fields">
          <span className="font-medium">New custom fields:</span>{" "}
          {created.map((c) => `${c.fieldLabel} (${c.type})`).join(", ")}
        </p>
      )}
    </div>
  );
}
