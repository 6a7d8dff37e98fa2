import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Workbench, WorkbenchStore } from './workbench.js';

export const WorkbenchContext = createContext<WorkbenchStore | null>(null);

/** Reads a slice of the workbench state; re-renders only when the selected value changes. */
export function useWorkbench<T>(selector: (state: Workbench) => T): T {
  const store = useContext(WorkbenchContext);
  if (store === null) throw new Error('useWorkbench outside the WorkbenchContext provider');
  return useStore(store, selector);
}
