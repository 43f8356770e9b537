import {
  REGION_LEVELS,
  REGION_LEVEL_LABELS,
  regionCodePath,
  regionLevelOf,
  type Region,
  type RegionLevel,
  type RegionWithPath,
} from '@tanfang/domain';
import { Cascader, Typography } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { api } from '../api';
import { useCurrentUser } from '../auth/useAuth';
import { loadRegion, loadRegionChildren } from '../lib/regions';

/** A Cascader option standing for one region. */
type RegionOption = {
  value: string;
  label: string;
  level: RegionLevel;
  isLeaf: boolean;
  /** Selectable for this picker's allowed levels (others only open their children). */
  selectable: boolean;
  disabled?: boolean;
  // In single mode rc-cascader opens such an option's children but does not select it.
  disableCheckbox?: boolean;
  children?: RegionOption[];
};

/** Props of `RegionPicker`; `value`/`onChange` make it an antd form control. */
export interface RegionPickerProps {
  /** The selected region code. */
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** Levels that may be selected; others only lead to their children. All levels by default. */
  allowedLevels?: readonly RegionLevel[];
  /** Root of the tree; the current user's jurisdiction by default. */
  rootCode?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
  status?: 'error' | 'warning' | '';
}

const levelIndex = (level: RegionLevel) => REGION_LEVELS.indexOf(level);

/**
 * Picks a region inside the user's jurisdiction: a Cascader rooted at the jurisdiction, loading
 * children lazily, selectable at any allowed level, with search by name through the API.
 */
export function RegionPicker({
  value,
  onChange,
  allowedLevels,
  rootCode,
  placeholder = '请选择区划',
  allowClear = true,
  disabled,
  id,
  style,
  status,
}: RegionPickerProps) {
  const user = useCurrentUser();
  const root = rootCode ?? user.jurisdiction.code;

  const [rootRegion, setRootRegion] = useState<RegionWithPath | null>(null);
  const [rootError, setRootError] = useState<string | null>(null);
  const [childrenByCode, setChildrenByCode] = useState<Record<string, Region[]>>({});
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<RegionWithPath[]>([]);

  useEffect(() => {
    let cancelled = false;
    loadRegion(root).then(
      (region) => {
        if (!cancelled) {
          setRootRegion(region);
          setRootError(null);
        }
      },
      () => {
        if (!cancelled) setRootError('区划加载失败');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [root]);

  // Codes from the root down to the value; empty when the value lies outside the root.
  const valuePath = useMemo(() => {
    if (!value || !value.startsWith(root)) return [];
    return regionCodePath(value).filter((code) => code.length >= root.length);
  }, [value, root]);

  // Pre-load every level above the value, so the Cascader can show its labels.
  useEffect(() => {
    const missing = valuePath.slice(0, -1).filter((code) => !(code in childrenByCode));
    if (missing.length === 0) return;
    let cancelled = false;
    Promise.all(missing.map(async (code) => [code, await loadRegionChildren(code)] as const)).then(
      (loaded) => {
        if (!cancelled) setChildrenByCode((prev) => ({ ...prev, ...Object.fromEntries(loaded) }));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [valuePath, childrenByCode]);

  // Remote search by name, limited to the root.
  useEffect(() => {
    const q = search.trim();
    if (!q) {
      setHits([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      api.searchRegions(q, 20).then(
        (items) => {
          if (!cancelled) setHits(items.filter((item) => item.code.startsWith(root)));
        },
        () => {
          if (!cancelled) setHits([]);
        },
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [search, root]);

  const maxAllowed = allowedLevels
    ? Math.max(...allowedLevels.map(levelIndex))
    : REGION_LEVELS.length - 1;
  const isSelectable = (level: RegionLevel) => !allowedLevels || allowedLevels.includes(level);
  const isExpandable = (region: Region) =>
    region.hasChildren && levelIndex(region.level) < maxAllowed;

  const toOption = (region: Region): RegionOption => {
    const selectable = isSelectable(region.level);
    const expandable = isExpandable(region);
    const loaded = childrenByCode[region.code];
    return {
      value: region.code,
      label: region.name,
      level: region.level,
      selectable,
      isLeaf: !expandable,
      disabled: !selectable && !expandable,
      disableCheckbox: !selectable,
      children: expandable && loaded ? loaded.map(toOption) : undefined,
    };
  };

  const options: RegionOption[] = rootRegion ? [toOption(rootRegion)] : [];

  const searchOptions = useMemo(() => {
    const top: RegionOption[] = [];
    for (const hit of hits) {
      let level = top;
      for (const node of hit.path.filter((n) => n.code.length >= root.length)) {
        let option = level.find((o) => o.value === node.code);
        if (!option) {
          const selectable = !allowedLevels || allowedLevels.includes(node.level);
          option = {
            value: node.code,
            label: node.name,
            level: node.level,
            selectable,
            isLeaf: false,
            disableCheckbox: !selectable,
            children: [],
          };
          level.push(option);
        }
        level = option.children ?? [];
      }
    }
    // A node without found descendants ends its search path.
    const settle = (list: RegionOption[]): RegionOption[] =>
      list.map((o) =>
        o.children && o.children.length > 0
          ? { ...o, children: settle(o.children) }
          : { ...o, isLeaf: true, children: undefined },
      );
    return settle(top);
  }, [hits, root, allowedLevels]);
  const hitCodes = useMemo(() => new Set(hits.map((h) => h.code)), [hits]);

  const loadData = (selected: RegionOption[]) => {
    const target = selected.at(-1);
    if (!target || target.value in childrenByCode) return;
    void loadRegionChildren(target.value).then(
      (children) => setChildrenByCode((prev) => ({ ...prev, [target.value]: children })),
      () => setChildrenByCode((prev) => ({ ...prev, [target.value]: [] })),
    );
  };

  const handleChange = (codes: string[] | undefined) => {
    const code = codes?.at(-1);
    if (code === undefined) {
      onChange?.(undefined);
      return;
    }
    const level = regionLevelOf(code);
    // Levels outside `allowedLevels` only open their children; the value stays as it was.
    if (level && isSelectable(level)) onChange?.(code);
  };

  const cascaderValue = valuePath.length > 0 ? valuePath : value ? [value] : undefined;
  const allowedHint = allowedLevels
    ? `可选：${allowedLevels.map((l) => REGION_LEVEL_LABELS[l]).join('、')}`
    : undefined;

  return (
    <Cascader<RegionOption>
      id={id}
      style={style}
      status={rootError ? 'error' : status}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={rootError ?? (allowedHint ? `${placeholder}（${allowedHint}）` : placeholder)}
      options={search.trim() ? searchOptions : options}
      loadData={loadData}
      changeOnSelect
      value={cascaderValue}
      onChange={(codes) => handleChange(codes as string[] | undefined)}
      displayRender={(labels) => labels.join(' / ')}
      optionRender={(option) =>
        option.selectable ? (
          option.label
        ) : (
          <Typography.Text type="secondary">{option.label}</Typography.Text>
        )
      }
      showSearch={{
        searchValue: search,
        onSearch: setSearch,
        filter: (_input, path) => {
          const last = path.at(-1);
          return last !== undefined && hitCodes.has(last.value);
        },
        limit: 20,
      }}
      notFoundContent={search.trim() ? '未找到匹配的区划' : '暂无区划'}
    />
  );
}
