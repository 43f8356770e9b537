// The ledger list's filters, so "返回台账" on an elder's page returns to the same list.
const KEY = 'tanfang.elders.listSearch';

/** Keeps the list's query string (`?status=all&q=zs`) for this browser tab. */
export function rememberListSearch(search: string): void {
  try {
    sessionStorage.setItem(KEY, search);
  } catch {
    // Storage may be unavailable (private mode); the list then opens unfiltered.
  }
}

/** The list's last query string, or '' when none is known. */
export function lastListSearch(): string {
  try {
    const search = sessionStorage.getItem(KEY) ?? '';
    return search.startsWith('?') ? search : '';
  } catch {
    return '';
  }
}
