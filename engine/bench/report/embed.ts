/**
 * The result JSON embedded in report.md, so a report can be loaded and compared like a
 * result file. It sits in a fenced block inside <details> (collapsed on a code forge),
 * between HTML-comment markers; `<` is written as \u003c so nothing in the JSON can close
 * the comment or the <details>, and the fence is longer than any backtick run inside.
 */
export type EmbeddedRole = 'result' | 'baseline';

const begin = (role: EmbeddedRole): string => `<!-- vexfs-bench:${role}:begin -->`;
const end = (role: EmbeddedRole): string => `<!-- vexfs-bench:${role}:end -->`;

export function embedJson(role: EmbeddedRole, value: unknown, summary: string): string {
  const json = JSON.stringify(value, null, 2).replace(/</g, '\\u003c');
  const longestRun = Math.max(0, ...[...json.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [
    '<details>',
    `<summary>${summary}</summary>`,
    '',
    begin(role),
    '',
    `${fence}json`,
    json,
    fence,
    '',
    end(role),
    '',
    '</details>',
  ].join('\n');
}

/** The embedded JSON text for a role, or null when the document has no such block. */
export function extractEmbeddedJson(document: string, role: EmbeddedRole): string | null {
  const markdown = document.replace(/\r\n/g, '\n');
  const start = markdown.indexOf(begin(role));
  if (start < 0) return null;
  const stop = markdown.indexOf(end(role), start);
  if (stop < 0) return null;
  const inner = markdown.slice(start + begin(role).length, stop).trim();
  const match = /^(`{3,})json\n([\s\S]*)\n\1$/.exec(inner);
  return match ? (match[2] as string) : null;
}
