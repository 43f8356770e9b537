import {
  VISITOR_TYPE_LABELS,
  isWithinJurisdiction,
  type VisitorDto,
  type VisitorStatus,
} from '@tanfang/domain';
import { Flex, Select, Typography } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { errorMessage } from '../../api';
import { visitorsApi } from './api';

/** Props of `VisitorSelect`; `value`/`onChange` make it an antd form control. */
export interface VisitorSelectProps {
  /** The selected visitor's id. */
  value?: string;
  onChange?: (visitorId: string | undefined, visitor: VisitorDto | undefined) => void;
  /** Offer only visitors whose area covers every one of these village codes. */
  covering?: readonly string[];
  /** Only visitors of this status (在岗 by default); `null` for any. */
  status?: VisitorStatus | null;
  /** A visitor not to offer (e.g. the one handing over). */
  exclude?: string;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** How many visitors one search brings (the server's page size limit is 200). */
const PAGE_SIZE = 100;

/** A visitor's name with their type, as the select shows the choice. */
function visitorLabel(v: VisitorDto): string {
  return `${v.name}（${VISITOR_TYPE_LABELS[v.type]}）`;
}

/**
 * Picks a visitor of the user's jurisdiction, searching by name on the server; with `covering`,
 * only those whose area includes the given villages (the server refuses the others).
 */
export function VisitorSelect({
  value,
  onChange,
  covering,
  status = 'active',
  exclude,
  placeholder = '请选择探访人员',
  allowClear = true,
  disabled,
  id,
  style,
  'data-testid': testId,
}: VisitorSelectProps) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<VisitorDto[]>([]);
  const [selected, setSelected] = useState<VisitorDto | null>(null);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(
      () => {
        visitorsApi
          .listVisitors({
            q: search.trim() || undefined,
            status: status ?? undefined,
            pageSize: PAGE_SIZE,
          })
          .then(
            (page) => {
              if (cancelled) return;
              setFound(page.items);
              setLoadError(null);
              setLoading(false);
            },
            (error: unknown) => {
              if (cancelled) return;
              setLoadError(errorMessage(error));
              setLoading(false);
            },
          );
      },
      search ? 250 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [search, status]);

  // A value set from outside (a link, a preselection) may not be among the first page.
  useEffect(() => {
    if (!value || found.some((v) => v.id === value) || selected?.id === value) return;
    let cancelled = false;
    visitorsApi.visitor(value).then(
      (v) => {
        if (!cancelled) setSelected(v);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [value, found, selected]);

  const coveringKey = covering?.join(',') ?? '';
  const offered = useMemo(() => {
    const codes = coveringKey ? coveringKey.split(',') : [];
    const list = found.filter(
      (v) => v.id !== exclude && codes.every((code) => isWithinJurisdiction(code, v.region.code)),
    );
    if (selected && selected.id === value && !list.some((v) => v.id === selected.id)) {
      list.unshift(selected);
    }
    return list;
  }, [found, exclude, coveringKey, selected, value]);

  const notFound = loading
    ? '正在加载…'
    : loadError
      ? loadError
      : search.trim()
        ? `没有名为“${search.trim()}”的${status === 'active' ? '在岗' : ''}探访人员`
        : coveringKey
          ? '没有负责所选老年人居住地的在岗探访人员，请先在“探访人员”中登记'
          : '暂无探访人员，请先在“探访人员”中登记';

  return (
    <Select<string, { value: string; label: string; visitor: VisitorDto }>
      id={id}
      data-testid={testId}
      style={style}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={placeholder}
      value={value}
      loading={loading}
      status={loadError ? 'error' : undefined}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onChange={(next, option) => {
        const picked = Array.isArray(option) ? undefined : option?.visitor;
        if (picked) setSelected(picked);
        setSearch('');
        onChange?.(next, picked);
      }}
      notFoundContent={notFound}
      options={offered.map((v) => ({ value: v.id, label: visitorLabel(v), visitor: v }))}
      optionRender={(option) => {
        const v = option.data.visitor;
        return (
          <Flex vertical gap={0}>
            <span>{visitorLabel(v)}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {v.region.name} · 在管 主要 {v.activeAssignments.primary} / 备用{' '}
              {v.activeAssignments.backup}
            </Typography.Text>
          </Flex>
        );
      }}
    />
  );
}
