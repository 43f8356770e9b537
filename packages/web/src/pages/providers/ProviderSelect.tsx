import {
  PROVIDER_KIND_LABELS,
  providerKindsText,
  type ProviderDto,
  type ProviderKind,
} from '@tanfang/domain';
import { Select, Typography } from 'antd';
import { useEffect, useState, type CSSProperties } from 'react';
import { errorMessage } from '../../api';
import { providersApi } from './providersApi';

/** Props of `ProviderSelect`: an antd form control over the active providers. */
export interface ProviderSelectProps {
  value?: string;
  onChange?: (id: string | undefined, provider: ProviderDto | undefined) => void;
  /** Only providers that serve this village (their region encloses it). */
  servingVillage?: string;
  /** Only providers offering this kind of service. */
  kind?: ProviderKind;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
}

/** Picks an active service provider (服务机构), showing its kinds and region. */
export function ProviderSelect({
  value,
  onChange,
  servingVillage,
  kind,
  placeholder = '请选择服务机构',
  disabled,
  id,
  style = { width: '100%' },
}: ProviderSelectProps) {
  const [providers, setProviders] = useState<ProviderDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setProviders(null);
    providersApi.list({ status: 'active', serving: servingVillage, kind, pageSize: 200 }).then(
      (page) => !cancelled && setProviders(page.items),
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [servingVillage, kind]);

  return (
    <>
      <Select
        id={id}
        style={style}
        value={value}
        disabled={disabled}
        loading={providers === null && !error}
        placeholder={placeholder}
        showSearch={{ optionFilterProp: 'label' }}
        allowClear
        onChange={(next?: string) =>
          onChange?.(
            next,
            providers?.find((p) => p.id === next),
          )
        }
        notFoundContent={
          kind ? `没有提供“${PROVIDER_KIND_LABELS[kind]}”服务的服务机构` : '没有可选的服务机构'
        }
        options={(providers ?? []).map((p) => ({
          value: p.id,
          label: p.name,
          title: `${p.name}（${providerKindsText(p.kinds)}）`,
        }))}
        optionRender={(option) => {
          const p = providers?.find((x) => x.id === option.value);
          return (
            <div>
              <div>{p?.name}</div>
              {p && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {providerKindsText(p.kinds)} · {p.region.name}
                </Typography.Text>
              )}
            </div>
          );
        }}
        data-testid="provider-select"
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
