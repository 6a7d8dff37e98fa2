import { Component, type ReactNode } from 'react';

/** A page that fails to render says so and how to recover, instead of blanking the whole window. */
export class PageErrorBoundary extends Component<{ page: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidUpdate(previous: { page: string }): void {
    if (previous.page !== this.props.page && this.state.error !== null) this.setState({ error: null });
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="error-note page-crash" role="alert">
        <strong>The {this.props.page} page failed to draw:</strong> {this.state.error.message}
        <div className="hint">
          Switch to another page and back, or reload the window; the engine and your runs are unaffected.
        </div>
      </div>
    );
  }
}
