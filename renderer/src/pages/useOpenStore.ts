import { useEffect } from 'react';
import type { StoreSummary } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';

/** The store the pages work on (null when none is open), with its collections loaded whenever it changes. */
export function useOpenStoreWithCollections(): StoreSummary | null {
  const current = useWorkbench((s) => s.stores.find((store) => store.storeId === s.currentStoreId) ?? null);
  const loadCollections = useWorkbench((s) => s.loadCollections);
  const storeId = current?.storeId ?? null;
  useEffect(() => {
    if (storeId !== null) void loadCollections();
  }, [storeId, loadCollections]);
  return current;
}
