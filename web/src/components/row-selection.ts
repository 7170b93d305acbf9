import { useEffect, useRef } from 'react';

/** The set with `key` in or out: how row checkboxes and expanders update their state. */
export function toggleIn(set: ReadonlySet<string>, key: string, on: boolean): ReadonlySet<string> {
  const next = new Set(set);
  if (on) next.add(key);
  else next.delete(key);
  return next;
}

/**
 * The "select all on this page" checkbox of a table: checked when every row of the page is, and
 * indeterminate (a property, not an attribute, hence the ref) when only some are.
 */
export function useSelectAll(pageKeys: readonly string[], selected: ReadonlySet<string>) {
  const ref = useRef<HTMLInputElement>(null);
  const selectedOnPage = pageKeys.filter((k) => selected.has(k)).length;
  const allOnPage = pageKeys.length > 0 && selectedOnPage === pageKeys.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = selectedOnPage > 0 && !allOnPage;
  }, [selectedOnPage, allOnPage]);
  return { ref, allOnPage, selectedOnPage };
}
