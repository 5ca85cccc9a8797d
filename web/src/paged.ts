import { useCallback, useEffect, useState } from "react";
import type { Page } from "./api";

// A list read page by page (API.md: items and next_cursor): the first page on mount, the next on
// `more()`, from the start again on `reload()`.
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (cursor: string | null) => {
      try {
        const page = await fetchPage(cursor);
        setItems((before) => (cursor && before ? [...before, ...page.items] : page.items));
        setNext(page.next_cursor);
        setError(null);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    },
    [fetchPage],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  return { items, error, hasMore: next !== null, more: () => load(next), reload: () => load(null) };
}
