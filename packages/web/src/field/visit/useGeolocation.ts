import type { VisitLocation } from '@tanfang/domain';
import { useEffect, useState } from 'react';

/** Where the phone is, as far as it can tell: still looking, found, or not available. */
export type PositionState =
  | { state: 'locating' }
  | { state: 'located'; location: VisitLocation }
  | { state: 'unavailable'; reason: string };

/** How long the phone may look for a position (it never blocks submitting). */
const TIMEOUT_MS = 10_000;

/** The words of a geolocation failure. */
export function positionErrorWords(code: number): string {
  switch (code) {
    case 1:
      return '未允许定位';
    case 2:
      return '无法获取位置';
    case 3:
      return '定位超时';
    default:
      return '无法定位';
  }
}

/** The position when the visit starts: asked once, with a 10 s timeout. */
export function useVisitPosition(): PositionState {
  const [position, setPosition] = useState<PositionState>(() =>
    typeof navigator !== 'undefined' && 'geolocation' in navigator
      ? { state: 'locating' }
      : { state: 'unavailable', reason: '手机不支持定位' },
  );
  useEffect(() => {
    if (!('geolocation' in navigator)) return;
    let cancelled = false;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        if (cancelled) return;
        setPosition({
          state: 'located',
          location: {
            lat: p.coords.latitude,
            lng: p.coords.longitude,
            accuracy: Math.min(100_000, Math.max(0, p.coords.accuracy)),
            capturedAt: new Date(p.timestamp || Date.now()).toISOString(),
          },
        });
      },
      (e) =>
        !cancelled && setPosition({ state: 'unavailable', reason: positionErrorWords(e.code) }),
      { enableHighAccuracy: true, timeout: TIMEOUT_MS, maximumAge: 60_000 },
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return position;
}
