import { useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './parseMarkdown.js';

/** An SVG as a data: URI for an <img>: shown as an image, never inserted as markup. */
export function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

function renderInline(nodes: Inline[], images: Record<string, string>): ReactNode[] {
  return nodes.map((node, i) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={i}>{node.text}</code>;
      case 'strong':
        return <strong key={i}>{renderInline(node.children, images)}</strong>;
      case 'em':
        return <em key={i}>{renderInline(node.children, images)}</em>;
      case 'link':
        return /^https?:\/\//.test(node.href) ? (
          <a key={i} href={node.href} target="_blank" rel="noreferrer noopener">
            {renderInline(node.children, images)}
          </a>
        ) : (
          <span key={i}>{renderInline(node.children, images)}</span>
        );
      case 'image': {
        const src = images[node.src];
        return src ? (
          <img key={i} src={src} alt={node.alt} className="report-chart" />
        ) : (
          <em key={i}>
            [{node.alt}: {node.src}]
          </em>
        );
      }
    }
  });
}

function renderBlock(block: Block, key: number, images: Record<string, string>): ReactNode {
  switch (block.type) {
    case 'heading': {
      const Tag = `h${Math.min(6, block.level + 1)}` as 'h2';
      return <Tag key={key}>{renderInline(block.children, images)}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{renderInline(block.children, images)}</p>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{renderInline(item, images)}</li>);
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
    }
    case 'table':
      return (
        <div className="table-scroll" key={key}>
          <table>
            <thead>
              <tr>
                {block.header.map((cell, i) => (
                  <th key={i} style={{ textAlign: block.align[i] ?? 'left' }}>
                    {renderInline(cell, images)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} style={{ textAlign: block.align[i] ?? 'left' }}>
                      {renderInline(cell, images)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'code':
      return (
        <pre key={key} className="code-block">
          <code>{block.text}</code>
        </pre>
      );
    case 'quote':
      return <blockquote key={key}>{block.children.map((child, i) => renderBlock(child, i, images))}</blockquote>;
    case 'details':
      return (
        <details key={key}>
          <summary>{renderInline(block.summary, images)}</summary>
          {block.children.map((child, i) => renderBlock(child, i, images))}
        </details>
      );
    case 'rule':
      return <hr key={key} />;
  }
}

/** A report rendered from markdown as React elements; `charts` supplies the images it names. */
export function Markdown({ text, charts }: { text: string; charts: { file: string; svg: string }[] }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  const images = useMemo(() => Object.fromEntries(charts.map((c) => [c.file, svgDataUri(c.svg)])), [charts]);
  return <article className="markdown">{blocks.map((block, i) => renderBlock(block, i, images))}</article>;
}
