import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flattenTree, type TreeRow } from '../state/storesSlice.js';
import { useWorkbench } from '../state/useWorkbench.js';

const ROW_PX = 26;
const VIEW_PX = 420;
const OVERSCAN = 10;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

/**
 * The store's files and directories as a virtualised tree: only the rows in view are in the
 * DOM, and each directory is fetched a page at a time (fs/readdir offsets) as its "more" row
 * scrolls into view, so a directory of 100k entries stays as quick as one of ten.
 */
export function TreeBrowser() {
  const listings = useWorkbench((s) => s.listings);
  const expanded = useWorkbench((s) => s.expanded);
  const selectedPath = useWorkbench((s) => s.selectedPath);
  const loadDir = useWorkbench((s) => s.loadDir);
  const toggleDir = useWorkbench((s) => s.toggleDir);
  const selectPath = useWorkbench((s) => s.selectPath);
  const rows = useMemo(() => flattenTree(listings, expanded), [listings, expanded]);
  const [scrollTop, setScrollTop] = useState(0);
  const [cursor, setCursor] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEW_PX) / ROW_PX) + OVERSCAN);
  const visible = rows.slice(first, last);

  // A "more" row in view fetches the directory's next page.
  useEffect(() => {
    for (const row of visible) if (row.kind === 'more') void loadDir(row.path, true);
  }, [visible, loadDir]);

  const activate = (row: TreeRow): void => {
    if (row.kind === 'dir') toggleDir(row.path);
    if (row.kind === 'more') void loadDir(row.path, true);
    if (row.kind === 'dir' || row.kind === 'file' || row.kind === 'symlink') void selectPath(row.path);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const row = rows[cursor];
    let next = cursor;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, cursor + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, cursor - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rows.length - 1;
    else if (event.key === 'Enter' && row) activate(row);
    else if (event.key === 'ArrowRight' && row?.kind === 'dir' && !row.expanded) toggleDir(row.path);
    else if (event.key === 'ArrowLeft' && row?.kind === 'dir' && row.expanded) toggleDir(row.path);
    else return;
    event.preventDefault();
    setCursor(next);
    const el = viewport.current;
    if (el) {
      const top = next * ROW_PX;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + ROW_PX > el.scrollTop + VIEW_PX) el.scrollTop = top + ROW_PX - VIEW_PX;
    }
  };

  if (rows.length === 0) return <p className="muted">This store is empty: add a file or a directory below.</p>;
  return (
    <div
      className="tree"
      role="tree"
      aria-label="Files and directories"
      tabIndex={0}
      ref={viewport}
      style={{ height: VIEW_PX }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      aria-activedescendant={rows[cursor] ? `tree-row-${cursor}` : undefined}
    >
      <div style={{ height: rows.length * ROW_PX, position: 'relative' }}>
        {visible.map((row, i) => {
          const index = first + i;
          const classes = ['tree-row', `kind-${row.kind}`];
          if (index === cursor) classes.push('cursor');
          if (row.path === selectedPath && (row.kind === 'file' || row.kind === 'dir')) classes.push('selected');
          return (
            <div
              key={`${row.kind}:${row.path}`}
              id={`tree-row-${index}`}
              role="treeitem"
              aria-level={row.depth + 1}
              aria-expanded={row.kind === 'dir' ? row.expanded : undefined}
              aria-selected={row.path === selectedPath}
              className={classes.join(' ')}
              style={{ top: index * ROW_PX, height: ROW_PX, paddingLeft: 8 + row.depth * 16 }}
              onClick={() => {
                setCursor(index);
                activate(row);
              }}
            >
              <span className="tree-icon" aria-hidden>
                {row.kind === 'dir' ? (row.expanded ? '▾' : '▸') : row.kind === 'file' ? '·' : ''}
              </span>
              <span className="tree-name">{row.name}</span>
              {row.kind === 'file' ? <span className="tree-size">{formatBytes(row.sizeBytes)}</span> : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
