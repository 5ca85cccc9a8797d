import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type Page } from "./api";

// A list read page by page (API.md: items and next_cursor): the first page on mount, the next on
// `more()`, from the start again on `reload()`. Only the answer to the latest call counts, and a
// `more()` while one is under way does nothing, so pages are neither doubled nor mixed.
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const loadingMore = useRef(false);
  const load = useCallback(
    async (cursor: string | null) => {
      const call = ++latest.current;
      try {
        const page = await fetchPage(cursor);
        if (call !== latest.current) return;
        setItems((before) => (cursor && before ? [...before, ...page.items] : page.items));
        setNext(page.next_cursor);
        setError(null);
      } catch (e) {
        if (call === latest.current) setError(errorText(e));
      }
    },
    [fetchPage],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  const more = useCallback(async () => {
    if (loadingMore.current || next === null) return;
    loadingMore.current = true;
    try {
      await load(next);
    } finally {
      loadingMore.current = false;
    }
  }, [load, next]);
  const reload = useCallback(() => load(null), [load]);
  return { items, error, hasMore: next !== null, more, reload };
}

// What went wrong, in words a person can read: the API's message, not "Error: …".
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// An error with what was wrong field by field ("url: must be …; events: …"), for a form that
// shows one notice rather than a problem beside each field.
export function problemsText(e: unknown): string {
  return e instanceof ApiError && e.details.length ? e.details.map((d) => `${d.field}: ${d.problem}`).join("; ") : errorText(e);
}
