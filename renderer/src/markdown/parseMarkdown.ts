/**
 * A small markdown reader for the benchmark reports: headings, paragraphs, lists, tables,
 * fenced code, quotes, <details>/<summary> blocks, and inline code, emphasis, links and
 * images. It builds a tree of plain data; the view turns it into React elements, so no
 * HTML from a report is ever injected into the page (any other HTML shows as text).
 */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'image'; src: string; alt: string };

export type Block =
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'table'; header: Inline[][]; rows: Inline[][][]; align: ('left' | 'right' | 'center' | null)[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; children: Block[] }
  | { type: 'details'; summary: Inline[]; children: Block[] }
  | { type: 'rule' };

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let rest = text;
  const pattern =
    /(`+)([\s\S]*?)\1|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*\*([^*]+)\*\*|(?<![\w*])[*_]([^*_]+)[*_](?![\w*])/;
  while (rest.length > 0) {
    const match = pattern.exec(rest);
    if (!match) {
      out.push({ type: 'text', text: rest });
      break;
    }
    if (match.index > 0) out.push({ type: 'text', text: rest.slice(0, match.index) });
    if (match[1] !== undefined) out.push({ type: 'code', text: (match[2] ?? '').trim() });
    else if (match[4] !== undefined) out.push({ type: 'image', alt: match[3] ?? '', src: match[4] });
    else if (match[6] !== undefined) out.push({ type: 'link', href: match[6], children: parseInline(match[5] ?? '') });
    else if (match[7] !== undefined) out.push({ type: 'strong', children: parseInline(match[7]) });
    else if (match[8] !== undefined) out.push({ type: 'em', children: parseInline(match[8]) });
    rest = rest.slice(match.index + match[0].length);
  }
  return out;
}

function splitRow(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i];
    if (ch === '\\' && trimmed[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const isTableRule = (line: string): boolean => /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line);

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let index = 0;

  const parseBlocks = (stop: (line: string) => boolean): Block[] => {
    const blocks: Block[] = [];
    while (index < lines.length) {
      const line = lines[index] as string;
      if (stop(line)) return blocks;
      const fence = /^(`{3,}|~{3,})\s*([\w-]*)\s*$/.exec(line);
      if (fence) {
        const marker = fence[1] as string;
        const body: string[] = [];
        index++;
        while (index < lines.length && !(lines[index] as string).startsWith(marker))
          body.push(lines[index++] as string);
        index++;
        blocks.push({ type: 'code', lang: fence[2] ?? '', text: body.join('\n') });
        continue;
      }
      if (line.trim() === '' || /^\s*<!--.*-->\s*$/.test(line) || /^\s*<\/details>\s*$/.test(line)) {
        index++;
        continue;
      }
      if (/^\s*<details>\s*$/.test(line)) {
        index++;
        const summaryMatch = /^\s*<summary>(.*)<\/summary>\s*$/.exec(lines[index] ?? '');
        if (summaryMatch) index++;
        const children = parseBlocks((l) => /^\s*<\/details>\s*$/.test(l));
        index++;
        blocks.push({ type: 'details', summary: parseInline(summaryMatch?.[1] ?? 'Details'), children });
        continue;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      if (heading) {
        blocks.push({ type: 'heading', level: (heading[1] as string).length, children: parseInline(heading[2] ?? '') });
        index++;
        continue;
      }
      if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
        blocks.push({ type: 'rule' });
        index++;
        continue;
      }
      if (line.includes('|') && isTableRule(lines[index + 1] ?? '')) {
        const header = splitRow(line).map(parseInline);
        const align = splitRow(lines[index + 1] as string).map((cell) =>
          cell.startsWith(':') && cell.endsWith(':')
            ? 'center'
            : cell.endsWith(':')
              ? 'right'
              : cell.startsWith(':')
                ? 'left'
                : null,
        );
        index += 2;
        const rows: Inline[][][] = [];
        while (
          index < lines.length &&
          (lines[index] as string).includes('|') &&
          (lines[index] as string).trim() !== ''
        ) {
          rows.push(splitRow(lines[index++] as string).map(parseInline));
        }
        blocks.push({ type: 'table', header, rows, align });
        continue;
      }
      if (/^\s*>/.test(line)) {
        const quoted: string[] = [];
        while (index < lines.length && /^\s*>/.test(lines[index] as string))
          quoted.push((lines[index++] as string).replace(/^\s*>\s?/, ''));
        blocks.push({ type: 'quote', children: parseMarkdown(quoted.join('\n')) });
        continue;
      }
      const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
      if (item) {
        const ordered = /\d/.test(item[1] as string);
        const items: Inline[][] = [];
        while (index < lines.length) {
          const next = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(lines[index] as string);
          if (!next) break;
          items.push(parseInline(next[2] ?? ''));
          index++;
        }
        blocks.push({ type: 'list', ordered, items });
        continue;
      }
      const paragraph: string[] = [];
      while (index < lines.length) {
        const next = lines[index] as string;
        if (
          next.trim() === '' ||
          /^(#{1,6}\s|`{3,}|~{3,}|\s*>|\s*<details>)/.test(next) ||
          /^\s*([-*+]|\d+[.)])\s+/.test(next)
        )
          break;
        if (next.includes('|') && isTableRule(lines[index + 1] ?? '')) break;
        paragraph.push(next.trim());
        index++;
      }
      if (paragraph.length === 0) {
        paragraph.push(line.trim());
        index++;
      }
      blocks.push({ type: 'paragraph', children: parseInline(paragraph.join(' ')) });
    }
    return blocks;
  };
  return parseBlocks(() => false);
}
