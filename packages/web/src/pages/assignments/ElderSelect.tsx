import { type ElderAssignmentRow } from '@tanfang/domain';
import { Flex, Select, Typography } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { errorMessage } from '../../api';
import { visitorsApi } from '../visitors/api';

/** Props of `ElderSelect`; `value`/`onChange` make it an antd form control. */
export interface ElderSelectProps {
  value?: string;
  onChange?: (elderId: string | undefined, row: ElderAssignmentRow | undefined) => void;
  /** A row known in advance (the one the drawer was opened from), shown before any search. */
  initial?: ElderAssignmentRow;
  id?: string;
  style?: CSSProperties;
  status?: 'error' | 'warning' | '';
}

/** Picks an active (在册) elder of the jurisdiction by name or pinyin initials, with their visitor. */
export function ElderSelect({ value, onChange, initial, id, style, status }: ElderSelectProps) {
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<ElderAssignmentRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const timer = setTimeout(
      () => {
        visitorsApi.listAssignments({ q: search.trim() || undefined, pageSize: 30 }).then(
          (page) => {
            if (cancelled) return;
            setFound(page.items);
            setError(null);
            setLoading(false);
          },
          (e: unknown) => {
            if (cancelled) return;
            setError(errorMessage(e));
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
  }, [search]);

  const rows = useMemo(() => {
    if (initial && !found.some((r) => r.elder.id === initial.elder.id)) return [initial, ...found];
    return found;
  }, [found, initial]);

  return (
    <Select<string, { value: string; label: string; row: ElderAssignmentRow }>
      id={id}
      style={style}
      status={error ? 'error' : status}
      allowClear
      placeholder="输入姓名或拼音首字母搜索"
      value={value}
      loading={loading}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      onChange={(next, option) => {
        setSearch('');
        onChange?.(next, Array.isArray(option) ? undefined : option?.row);
      }}
      notFoundContent={loading ? '正在加载…' : (error ?? '没有找到在册的老年人')}
      options={rows.map((r) => ({
        value: r.elder.id,
        label: `${r.elder.name}（${r.elder.village.name}）`,
        row: r,
      }))}
      optionRender={(option) => {
        const r = option.data.row;
        return (
          <Flex vertical gap={0}>
            <span>
              {r.elder.name}（{r.elder.village.name}）
            </span>
            <Typography.Text type={r.primary ? 'secondary' : 'danger'} style={{ fontSize: 12 }}>
              {r.primary ? `主要探访人：${r.primary.visitor.name}` : '未落实探访人'}
            </Typography.Text>
          </Flex>
        );
      }}
    />
  );
}
