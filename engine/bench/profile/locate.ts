/**
 * Finds where a key path (as zod reports it: ['workloads', 1, 'mix', 'stat']) is written in
 * a TOML source, so that schema errors carry a line and column like syntax errors do.
 * It understands tables, arrays of tables, dotted keys and one-line inline tables: what
 * profiles use. An absent key is reported at the table that should hold it.
 */
export interface SourcePosition {
  line: number;
  column: number;
}

type PathPart = string | number;

interface Entry {
  path: PathPart[];
  line: number;
  column: number;
  /** The rest of the line after `=`, for keys inside an inline table. */
  value: string;
  valueColumn: number;
}

const KEY = String.raw`(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')`;
const DOTTED = String.raw`${KEY}(?:\s*\.\s*${KEY})*`;
const ARRAY_HEADER = new RegExp(String.raw`^(\s*)\[\[\s*(${DOTTED})\s*\]\]`);
const TABLE_HEADER = new RegExp(String.raw`^(\s*)\[\s*(${DOTTED})\s*\]`);
const KEY_LINE = new RegExp(String.raw`^(\s*)(${DOTTED})\s*=\s*`);

function splitKey(dotted: string): string[] {
  const parts = dotted.match(new RegExp(KEY, 'g')) ?? [];
  return parts.map((p) => (p.startsWith('"') || p.startsWith("'") ? p.slice(1, -1) : p));
}

function scan(source: string): Entry[] {
  const entries: Entry[] = [];
  const arrayCounts = new Map<string, number>();
  let table: PathPart[] = [];
  let inMultiline = false;
  source.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    const fences = text.split('"""').length - 1 + (text.split("'''").length - 1);
    if (inMultiline) {
      if (fences % 2 === 1) inMultiline = false;
      return;
    }
    const arrayHeader = ARRAY_HEADER.exec(text);
    if (arrayHeader) {
      const keys = splitKey(arrayHeader[2] ?? '');
      const id = keys.join('.');
      const count = arrayCounts.get(id) ?? 0;
      arrayCounts.set(id, count + 1);
      table = [...keys, count];
      entries.push({ path: table, line, column: (arrayHeader[1]?.length ?? 0) + 1, value: '', valueColumn: 0 });
      return;
    }
    const header = TABLE_HEADER.exec(text);
    if (header) {
      table = splitKey(header[2] ?? '');
      entries.push({ path: table, line, column: (header[1]?.length ?? 0) + 1, value: '', valueColumn: 0 });
      return;
    }
    const key = KEY_LINE.exec(text);
    if (key) {
      const valueColumn = key[0].length + 1;
      entries.push({
        path: [...table, ...splitKey(key[2] ?? '')],
        line,
        column: (key[1]?.length ?? 0) + 1,
        value: text.slice(key[0].length),
        valueColumn,
      });
      if (fences % 2 === 1) inMultiline = true;
    }
  });
  return entries;
}

function commonPrefix(a: PathPart[], b: readonly PathPart[]): number {
  let n = 0;
  while (n < a.length && n < b.length && String(a[n]) === String(b[n])) n++;
  return n;
}

/** Looks for `key =` inside an inline table written on the entry's line. */
function locateInline(entry: Entry, rest: readonly PathPart[]): SourcePosition | null {
  let offset = 0;
  let found: SourcePosition | null = null;
  for (const part of rest) {
    if (typeof part !== 'string') break;
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(String.raw`(^|[{,\s])("?${escaped}"?)\s*=`).exec(entry.value.slice(offset));
    if (!match) break;
    const at = offset + match.index + (match[1]?.length ?? 0);
    found = { line: entry.line, column: entry.valueColumn + at };
    offset = at + part.length;
  }
  return found;
}

export function locatePath(source: string, path: readonly PathPart[]): SourcePosition {
  let best: Entry | null = null;
  let bestLength = -1;
  for (const entry of scan(source)) {
    const length = commonPrefix(entry.path, path);
    // Only entries that lie on the path count (their whole path is a prefix of the target).
    if (length === entry.path.length && length > bestLength) {
      best = entry;
      bestLength = length;
    }
  }
  if (!best) return { line: 1, column: 1 };
  if (bestLength < path.length && best.value.trimStart().startsWith('{')) {
    const inline = locateInline(best, path.slice(bestLength));
    if (inline) return inline;
  }
  return { line: best.line, column: best.column };
}
