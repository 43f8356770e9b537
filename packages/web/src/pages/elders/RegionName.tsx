import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import { loadRegion } from '../../lib/regions';

/** The full name of a region code (loaded and cached); the code until it is known. */
export function RegionName({ code }: { code: string }) {
  const [name, setName] = useState<{ code: string; fullName: string } | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadRegion(code).then(
      (region) => {
        if (!cancelled) setName({ code, fullName: region.fullName });
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [code]);
  return (
    <Typography.Text title={code}>
      {name && name.code === code ? name.fullName : code}
    </Typography.Text>
  );
}
