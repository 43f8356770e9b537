import type { Region, RegionWithPath } from '@tanfang/domain';
import { api } from '../api';

// Regions change only with a new division-code import, so one answer per code serves a session.
// What a user may read depends on their jurisdiction, so the caches end with the session.
const childrenCache = new Map<string, Promise<Region[]>>();
const regionCache = new Map<string, Promise<RegionWithPath>>();

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>) {
  let promise = cache.get(key);
  if (!promise) {
    promise = load();
    cache.set(key, promise);
    // A failed load is not remembered, so the next attempt asks again.
    promise.catch(() => cache.delete(key));
  }
  return promise;
}

/** The child regions of `code` (cached for the session). */
export function loadRegionChildren(code: string): Promise<Region[]> {
  return cached(childrenCache, code, () => api.regionChildren(code));
}

/** One region with its path (cached for the session). */
export function loadRegion(code: string): Promise<RegionWithPath> {
  return cached(regionCache, code, () => api.region(code));
}

/** Forgets every cached region; called when the session starts or ends. */
export function clearRegionCache(): void {
  childrenCache.clear();
  regionCache.clear();
}
