import { useEffect, useState } from 'react';
import { useCurrentUser } from '../../auth/useAuth';
import { loadRegion } from '../../lib/regions';

// Levels the server leaves out of full names (see the regions module's fullName).
const PLACEHOLDER_NAMES = new Set(['市辖区', '省直辖县级行政区划', '县']);

/**
 * A function shortening a region's full name for tables: the province and city the user works
 * in are left out (辽宁省丹东市宽甸满族自治县灌水镇东岔村委会 → 宽甸满族自治县灌水镇东岔村委会).
 */
export function usePlaceName(): (fullName: string) => string {
  const user = useCurrentUser();
  const [prefix, setPrefix] = useState('');
  useEffect(() => {
    let cancelled = false;
    loadRegion(user.jurisdiction.code).then(
      (region) => {
        if (cancelled) return;
        const names = region.path
          .filter((node) => node.level === 'province' || node.level === 'city')
          .map((node) => node.name)
          .filter((name) => !PLACEHOLDER_NAMES.has(name));
        setPrefix(names.join(''));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [user.jurisdiction.code]);
  return (fullName: string) =>
    prefix && fullName.startsWith(prefix) && fullName.length > prefix.length
      ? fullName.slice(prefix.length)
      : fullName;
}
