import { Card, Tabs } from 'antd';
import { useQueryState } from '../../lib/useQueryState';
import { LedgerCompletenessTab } from './LedgerCompletenessTab';
import { MonthlyStatisticsTab } from './MonthlyStatisticsTab';

/**
 * `/reports` (统计报表): the monthly 探访关爱工作统计表 and the ledger completeness report of a
 * region in the jurisdiction, previewed, and downloaded as .xlsx (each download audit-logged).
 */
export default function ReportsPage() {
  const { get, update } = useQueryState();
  const tab = get('tab') === 'completeness' ? 'completeness' : 'monthly';
  return (
    <Card title="统计报表">
      <Tabs
        activeKey={tab}
        onChange={(key) => update({ tab: key === 'monthly' ? undefined : key })}
        destroyOnHidden
        items={[
          { key: 'monthly', label: '月度探访关爱统计表', children: <MonthlyStatisticsTab /> },
          { key: 'completeness', label: '台账完整性', children: <LedgerCompletenessTab /> },
        ]}
      />
    </Card>
  );
}
