import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { deviceShape, name } from '../schemas';
import { fieldIssues } from '../issues';
import { stackIssue } from '../../domain/checks/rules';
import type { DeviceSummary } from '../../domain/model/views';

/**
 * The device list as a spreadsheet sees it. Protocol settings and ports stay in the YAML export. `stack`
 * came last, later: a file without it (an older export) still imports, and keeps the stacks stored.
 */
export const CSV_COLUMNS = ['name', 'kind', 'address', 'vendor', 'model', 'location', 'notes', 'memberOf', 'stack'] as const;
const REQUIRED = ['name', 'kind', 'address'] as const;
type Column = (typeof CSV_COLUMNS)[number];

export interface CsvDevice {
  line: number;
  name: string;
  kind: DeviceSummary['kind'];
  address: string;
  vendor: string;
  model: string;
  location: string;
  notes: string;
  /** Pool name, or null; undefined when the file has no memberOf column (keep what is stored). */
  memberOf: string | null | undefined;
  /** A switch's stack ('' none; also when the file has no stack column, and then an update keeps what is stored). */
  stack: string;
  /** Columns present in the file: an update changes only these. */
  columns: Set<Column>;
}

export class CsvProblem extends Error {
  constructor(
    readonly line: number | null,
    readonly field: string,
    message: string,
  ) {
    super([line !== null ? `line ${line}` : '', field].filter(Boolean).join(', ') + `: ${message}`);
    this.name = 'CsvProblem';
  }
}

// A cell that starts with one of = + - @ tab CR is run as a formula by spreadsheet programs (CSV
// injection); a leading apostrophe makes it text there. A cell that really starts with an apostrophe gets
// one more, so the import can strip exactly one and the round trip is exact.
const NEEDS_APOSTROPHE = /^[=+\-@\t\r']/;
const defuse = (cell: string) => (NEEDS_APOSTROPHE.test(cell) ? `'${cell}` : cell);
const restore = (cell: string) => (cell.startsWith("'") && NEEDS_APOSTROPHE.test(cell.slice(1)) ? cell.slice(1) : cell);

export function devicesToCsv(devices: DeviceSummary[]): string {
  const rows = devices.map((d) =>
    [d.name, d.kind, d.address, d.vendor, d.model, d.location, d.notes, d.memberOfName ?? '', d.stack].map(defuse),
  );
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\n' });
}

const Row = z
  .strictObject({
    name: name(),
    kind: deviceShape.kind,
    address: deviceShape.address,
    vendor: deviceShape.vendor,
    model: deviceShape.model,
    location: deviceShape.location,
    notes: deviceShape.notes,
    memberOf: z.string().trim().max(64).optional(),
    stack: deviceShape.stack,
  })
  .superRefine((row, ctx) => {
    const issue = stackIssue(row);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });

/** Parses a device CSV; the first problem ends it, named by line and column. */
export function parseDevicesCsv(text: string): CsvDevice[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: false,
      max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new CsvProblem(e.lines ?? null, '', `not readable as CSV: ${e.message.replace(/^Invalid [^:]*: /, '')}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new CsvProblem(1, '', `the file is empty; the first line names the columns: ${CSV_COLUMNS.join(',')}`);

  const columns = header.record.map((c) => c.trim());
  for (const [index, column] of columns.entries()) {
    if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
      throw new CsvProblem(1, column || `column ${index + 1}`, `unknown column; the columns are ${CSV_COLUMNS.join(', ')}`);
    }
    if (columns.indexOf(column) !== index) throw new CsvProblem(1, column, 'this column appears twice');
  }
  for (const column of REQUIRED) {
    if (!columns.includes(column)) throw new CsvProblem(1, column, `the header is missing the column "${column}"`);
  }

  const seen = new Map<string, number>();
  return rows.map(({ record, info }) => {
    // info.lines is where the record ends; a quoted cell may span lines, so count back to where it starts.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    if (record.length !== columns.length) {
      throw new CsvProblem(line, '', `has ${record.length} cells but the header has ${columns.length} columns`);
    }
    const raw: Record<string, string> = {};
    columns.forEach((column, i) => (raw[column] = restore(record[i] ?? '')));
    const parsed = Row.safeParse(raw);
    if (!parsed.success) {
      const [issue] = fieldIssues(parsed.error, raw);
      throw new CsvProblem(line, String(issue?.path[0] ?? ''), issue?.message ?? 'invalid');
    }
    const key = parsed.data.name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new CsvProblem(line, 'name', `"${parsed.data.name}" is already on line ${earlier}`);
    seen.set(key, line);
    return {
      line,
      ...parsed.data,
      memberOf: parsed.data.memberOf === undefined ? undefined : parsed.data.memberOf || null,
      columns: new Set(columns as Column[]),
    };
  });
}
