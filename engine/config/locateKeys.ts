/**
 * Where each key of a TOML document is written. smol-toml gives values but not positions, so
 * validation messages find a key's line and column here: table headers (`[a.b]`, `[[a]]`),
 * dotted keys (`a.b = 1`) and inline tables (`a = { b = 1 }`). It runs on text that already
 * parsed; on anything else it returns what it found so far and never throws or loops.
 */

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units like smol-toml's. */
  readonly column: number;
}

export interface KeyLocation extends Position {
  /** Where the value starts, for keys assigned with `=` (absent for table headers). */
  readonly value?: Position;
}

/** Key path joined with '.' ("performance.cache_size") → where it is first written. */
export type KeyLocations = ReadonlyMap<string, KeyLocation>;

const BARE_KEY = /[A-Za-z0-9_-]/;

export function locateKeys(text: string): KeyLocations {
  const scanner = new KeyScanner(text);
  try {
    scanner.document();
  } catch {
    // Text that is not TOML: keep the positions found before the problem.
  }
  return scanner.found;
}

class KeyScanner {
  readonly found = new Map<string, KeyLocation>();
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i += 1) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  document(): void {
    let table: string[] = [];
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    while (this.pos < this.text.length) {
      const start = this.pos;
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === '[') {
        const isArray = this.text[this.pos + 1] === '[';
        this.pos += isArray ? 2 : 1;
        const keys = this.key();
        table = keys.map((key) => key.name);
        this.recordPrefixes([], keys);
        this.skipLine();
      } else {
        this.keyValue(table);
        this.skipLine();
      }
      if (this.pos === start) this.pos += 1;
    }
  }

  private keyValue(prefix: readonly string[]): void {
    const keys = this.key();
    const path = this.recordPrefixes(prefix, keys);
    this.skipBlank(false);
    if (this.text[this.pos] !== '=') return;
    this.pos += 1;
    this.skipBlank(false);
    const last = this.found.get(path.join('.'));
    if (last && !last.value) this.found.set(path.join('.'), { ...last, value: this.at(this.pos) });
    if (this.text[this.pos] === '{') this.inlineTable(path);
    else this.skipValue();
  }

  private inlineTable(prefix: readonly string[]): void {
    this.pos += 1;
    while (this.pos < this.text.length) {
      const start = this.pos;
      this.skipBlank(true);
      const char = this.text[this.pos];
      if (char === '}') {
        this.pos += 1;
        return;
      }
      if (char === ',') this.pos += 1;
      else this.keyValue(prefix);
      if (this.pos === start) this.pos += 1;
    }
  }

  /** A dotted key: its parts and where each part starts. */
  private key(): { name: string; index: number }[] {
    const parts: { name: string; index: number }[] = [];
    for (;;) {
      this.skipBlank(false);
      const index = this.pos;
      const char = this.text[this.pos];
      let name: string;
      if (char === '"') name = decodeBasic(this.text.slice(index, this.skipString()));
      else if (char === "'") name = this.text.slice(index + 1, this.skipString() - 1);
      else {
        while (this.pos < this.text.length && BARE_KEY.test(this.text[this.pos] ?? '')) this.pos += 1;
        name = this.text.slice(index, this.pos);
        if (name === '') return parts;
      }
      parts.push({ name, index });
      this.skipBlank(false);
      if (this.text[this.pos] !== '.') return parts;
      this.pos += 1;
    }
  }

  private recordPrefixes(prefix: readonly string[], keys: readonly { name: string; index: number }[]): string[] {
    const path = [...prefix];
    for (const key of keys) {
      path.push(key.name);
      const joined = path.join('.');
      if (!this.found.has(joined)) this.found.set(joined, this.at(key.index));
    }
    return path;
  }

  /** Skips one value that is not an inline table: a string, an array (with anything inside) or a scalar. */
  private skipValue(): void {
    const char = this.text[this.pos];
    if (char === '"' || char === "'") {
      this.skipString();
      return;
    }
    if (char === '[' || char === '{') {
      let depth = 0;
      while (this.pos < this.text.length) {
        const current = this.text[this.pos];
        if (current === '"' || current === "'") {
          this.skipString();
          continue;
        }
        if (current === '#') this.skipComment();
        else if (current === '[' || current === '{') depth += 1;
        else if (current === ']' || current === '}') depth -= 1;
        this.pos += 1;
        if (depth === 0) return;
      }
      return;
    }
    while (this.pos < this.text.length && !/[\s,\]}#]/.test(this.text[this.pos] ?? '')) this.pos += 1;
  }

  /** Skips a basic, literal or multi-line string starting at pos; returns the index after it. */
  private skipString(): number {
    const quote = this.text[this.pos] ?? '"';
    const triple = this.text.startsWith(quote.repeat(3), this.pos);
    this.pos += triple ? 3 : 1;
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char === '\\' && quote === '"') {
        this.pos += 2;
        continue;
      }
      if (!triple && char === '\n') return this.pos;
      if (char === quote && (!triple || this.text.startsWith(quote.repeat(3), this.pos))) {
        this.pos += triple ? 3 : 1;
        // A multi-line string may end with up to two more quotes that belong to its content.
        for (let extra = 0; triple && extra < 2 && this.text[this.pos] === quote; extra += 1) this.pos += 1;
        return this.pos;
      }
      this.pos += 1;
    }
    return this.pos;
  }

  private skipBlank(newlines: boolean): void {
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char === ' ' || char === '\t' || (newlines && (char === '\n' || char === '\r'))) this.pos += 1;
      else if (newlines && char === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos += 1;
  }

  /** Skips the rest of a line (a trailing comment or the `]` of a header). */
  private skipLine(): void {
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') {
      const char = this.text[this.pos];
      if (char === '"' || char === "'") this.skipString();
      else if (char === '#') this.skipComment();
      else this.pos += 1;
    }
  }

  private at(index: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= index) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: index - (this.lineStarts[low] ?? 0) + 1 };
  }
}

function decodeBasic(quoted: string): string {
  try {
    const value: unknown = JSON.parse(quoted);
    if (typeof value === 'string') return value;
  } catch {
    // TOML escapes JSON lacks (\e, \U…): the raw text is close enough for a position lookup.
  }
  return quoted.slice(1, -1);
}
