import "server-only";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { type Options, type Parser, parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { ValidationError } from "@/server/errors";

/** Bytes looked at to decide whether a file is CSV and which delimiter it uses. */
export const SNIFF_BYTES = 64 * 1024;

export const DELIMITERS = [",", ";", "\t"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvShape {
  delimiter: Delimiter;
  /** Column names as shown to people: blanks become "Column N", repeats get " (2)". */
  headers: string[];
}

function notCsv(reason: string): ValidationError {
  const message = `This file can't be imported: ${reason}. Export your list as CSV (comma, semicolon or tab separated) with column names on the first line.`;
  return new ValidationError(message, { file: [message] });
}

const EMAIL_LIKE = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;
const EMAIL_HEADER = /e-?mail/i;

/** The first line, ignoring line breaks inside quotes. */
function firstRecordText(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "\n" || c === "\r")) return text.slice(0, i);
  }
  return text;
}

/** The delimiter used most often outside quotes on the header line (ties: comma, then `;`, then tab). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && counts.has(c as Delimiter))
      counts.set(c as Delimiter, counts.get(c as Delimiter)! + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Blank headers become "Column N" and repeated ones "Name (2)", so every column has one name. */
export function uniqueHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    const base = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Decides from the first bytes whether a file is a CSV with a header line, and how it is separated.
 * Refuses binary files, HTML/XML, empty files, a first line that is data rather than names, and a
 * single column that is not an email column — with a message a person can act on.
 */
export function sniffCsv(head: Buffer): CsvShape {
  if (head.length === 0) throw notCsv("the file is empty");
  const sample = head.subarray(0, Math.min(head.length, 8192));
  if (sample.includes(0)) throw notCsv("it is a binary file (a spreadsheet or an archive?), not text");
  let controls = 0;
  for (const b of sample) if (b < 32 && b !== 9 && b !== 10 && b !== 13) controls++;
  if (controls > sample.length / 100) throw notCsv("it is a binary file, not text");
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  const start = text.trimStart().slice(0, 512).toLowerCase();
  if (start.startsWith("<") || /<(html|body|script|!doctype|\?xml)\b/.test(start)) {
    throw notCsv("it is a web page or XML, not CSV");
  }
  if (text.trim() === "") throw notCsv("the file is empty");
  const line = firstRecordText(text.replace(/^[\r\n]+/, ""));
  const delimiter = detectDelimiter(line);
  let raw: string[];
  try {
    [raw = []] = parseSync(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
  } catch {
    throw notCsv("its first line could not be read as column names");
  }
  const names = raw.map((h) => h.trim());
  if (names.every((h) => h === "")) throw notCsv("its first line is empty");
  if (names.some((h) => EMAIL_LIKE.test(h))) {
    throw notCsv("the first line holds an email address, so it has no line of column names");
  }
  if (names.length === 1 && !EMAIL_HEADER.test(names[0]!)) {
    throw notCsv("it has a single column and none of its columns is an email column");
  }
  return { delimiter, headers: uniqueHeaders(raw) };
}

/** A streaming parser for a file of `shape`: BOM, CRLF, quoted commas/newlines and blank lines handled. */
export function csvStreamParser(shape: Pick<CsvShape, "delimiter">, extra: Options = {}): Parser {
  return parse({
    delimiter: shape.delimiter,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    ...extra,
  });
}

/** Reads up to `bytes` from the start of a stream, then stops it. */
export async function readHead(stream: Readable, bytes = SNIFF_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(b);
    total += b.length;
    if (total >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

/** True when every cell of a record is blank (a line of only delimiters counts as an empty line). */
export function isBlankRecord(record: string[]): boolean {
  return record.every((v) => v.trim() === "");
}

/** A record and the line it starts on (1-based, as an editor shows it). */
export interface CsvRow {
  record: string[];
  line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * A small CSV reader for the import's hot path (csv-parse with line info costs ~4× more CPU per
 * row). Same reading as `csvStreamParser`: a leading BOM dropped; `\n`, `\r\n` and `\r` end a
 * record; quoted fields hold delimiters, line breaks and `""`; a quote inside an unquoted field is
 * kept as is; empty lines skipped; any number of columns. A cell with text after its closing quote
 * is kept as written (`"a"b` reads `"a"b`, as csv-parse does); a quote never closed is an error.
 */
export class CsvReader {
  private pending = "";
  private line = 1;
  private started = false;
  private readonly delimiter: number;

  constructor(delimiter: Delimiter) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Appends the complete records of `text` (after what is pending) to `out`; `final` at the end of the file. */
  push(text: string, out: CsvRow[], final = false): void {
    let s = this.pending + text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    const n = s.length;
    const d = this.delimiter;
    let i = 0;
    let line = this.line;
    const incomplete = (recStart: number, recLine: number) => {
      this.pending = s.slice(recStart);
      this.line = recLine;
    };
    while (i < n) {
      const recStart = i;
      const recLine = line;
      let c = s.charCodeAt(i);
      if (c === LF || c === CR) {
        // An empty line.
        if (c === CR && i + 1 >= n && !final) {
          incomplete(recStart, recLine);
          return;
        }
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        continue;
      }
      const fields: string[] = [];
      for (;;) {
        let value: string;
        if (i < n && s.charCodeAt(i) === QUOTE) {
          const open = i;
          let j = i + 1;
          let seg = j;
          value = "";
          for (;;) {
            const q = s.indexOf('"', j);
            if (q < 0 || (q + 1 >= n && !final)) {
              if (!final) {
                incomplete(recStart, recLine);
                return;
              }
              throw new ValidationError(
                `This file can't be read as CSV: a quoted value that starts on line ${line} is never closed.`,
              );
            }
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(seg, q + 1);
              j = q + 2;
              seg = j;
              continue;
            }
            value += s.slice(seg, q);
            // Line breaks inside the quotes still move the line count.
            for (let k = i + 1; k < q; k++) {
              const ch = s.charCodeAt(k);
              if (ch === LF || (ch === CR && s.charCodeAt(k + 1) !== LF)) line++;
            }
            i = q + 1;
            break;
          }
          if (i < n) {
            c = s.charCodeAt(i);
            if (c !== d && c !== LF && c !== CR) {
              let j = i;
              while (j < n) {
                c = s.charCodeAt(j);
                if (c === d || c === LF || c === CR) break;
                j++;
              }
              if (j >= n && !final) {
                incomplete(recStart, recLine);
                return;
              }
              // Text after the closing quote: the whole cell is read as written, quotes and all.
              value = s.slice(open, j);
              i = j;
            }
          }
        } else {
          let j = i;
          while (j < n) {
            c = s.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          if (j >= n && !final) {
            incomplete(recStart, recLine);
            return;
          }
          value = s.slice(i, j);
          i = j;
        }
        fields.push(value);
        if (i >= n) {
          out.push({ record: fields, line: recLine });
          break;
        }
        c = s.charCodeAt(i);
        if (c === d) {
          i++;
          if (i >= n && final) {
            fields.push("");
            out.push({ record: fields, line: recLine });
            break;
          }
          continue;
        }
        if (c === CR && i + 1 >= n && !final) {
          incomplete(recStart, recLine);
          return;
        }
        i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        out.push({ record: fields, line: recLine });
        break;
      }
    }
    this.pending = "";
    this.line = line;
  }
}

/** Reads a stream of CSV bytes in batches of records, with the bytes read so far (for progress). */
export async function* readCsvBatches(
  stream: Readable,
  delimiter: Delimiter,
): AsyncGenerator<{ rows: CsvRow[]; bytes: number }> {
  const reader = new CsvReader(delimiter);
  const decoder = new StringDecoder("utf8");
  let bytes = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    bytes += b.length;
    const rows: CsvRow[] = [];
    reader.push(decoder.write(b), rows);
    if (rows.length > 0) yield { rows, bytes };
  }
  const rows: CsvRow[] = [];
  reader.push(decoder.end(), rows, true);
  if (rows.length > 0) yield { rows, bytes };
}
