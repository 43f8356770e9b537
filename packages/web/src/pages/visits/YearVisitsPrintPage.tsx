import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { useQueryState } from '../../lib/useQueryState';
import { useLoad } from '../worklist/useLoad';
import { PrintFrame, PrintParts, type PrintData } from './PrintFrame';
import { printParts } from './printLayout';
import { chinaYear } from './visitText';
import { loadTemplatesOf, visitsApi } from './visitsApi';

/**
 * `/elders/:id/visits/print?year=`: an elder's visits of a year in their templates' tables — the
 * 鞍山 sheet with its four quarters, the 丹东 blocks of every visit — each layout on its own pages.
 */
export default function YearVisitsPrintPage() {
  const { id = '' } = useParams();
  const { getInt } = useQueryState();
  const year = getInt('year', chinaYear());
  const loaded = useLoad(`${id}|${year}`, async () => {
    const [elder, { items }] = await Promise.all([api.elder(id), visitsApi.elderVisits(id, year)]);
    const data: PrintData = { elder, year, visits: items, templates: await loadTemplatesOf(items) };
    return { data, parts: printParts(items, data.templates) };
  })!;
  const ok = loaded.state === 'ok' ? loaded.data : undefined;
  return (
    <PrintFrame
      loaded={loaded}
      title={ok && `探访记录-${ok.data.elder.name}-${year}年`}
      backTo={`/elders/${encodeURIComponent(id)}?tab=visits&year=${year}`}
      empty={
        ok && ok.parts.length === 0
          ? `${ok.data.elder.name} ${year} 年没有探访记录，没有可打印的内容。`
          : undefined
      }
    >
      {ok && <PrintParts data={ok.data} parts={ok.parts} />}
    </PrintFrame>
  );
}
