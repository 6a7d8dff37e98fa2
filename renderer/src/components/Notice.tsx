import type { ReactNode } from 'react';

/** An error as the engine said it, with what to do next. */
export function ErrorNote({ error, hint }: { error: string | null; hint?: string }) {
  if (error === null) return null;
  return (
    <div className="error-note" role="alert">
      <strong>Error.</strong> {error}
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

/** A page or panel with nothing to show yet: says why and what to do. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h3>{title}</h3>
      <div>{children}</div>
    </div>
  );
}

export function NotLanded({ what, children }: { what: string; children?: ReactNode }) {
  return (
    <div className="not-landed">
      <strong>{what}: not landed yet.</strong> {children}
    </div>
  );
}

/** A page that needs an open store, when none is: its title and what to do. */
export function NoStorePage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="page-body">
      <h2>{title}</h2>
      <EmptyState title="No store is open">{children}</EmptyState>
    </div>
  );
}
