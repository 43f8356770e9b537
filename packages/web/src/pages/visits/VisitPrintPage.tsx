import { useParams } from 'react-router-dom';
import { api } from '../../api';
import { useLoad } from '../worklist/useLoad';
import { PrintFrame, PrintParts, type PrintData } from './PrintFrame';
import { printParts, visitYear } from './printLayout';
import { elderVisitPath } from './visitText';
import { loadTemplatesOf, visitsApi } from './visitsApi';

/**
 * `/visits/:id/print`: one visit in its template's official table — the 鞍山 sheet of its year with
 * its quarter filled, or its 丹东 block numbered among the year's visits.
 */
export default function VisitPrintPage() {
  const { id = '' } = useParams();
  const loaded = useLoad(id, async () => {
    const visit = await visitsApi.visit(id);
    const year = visitYear(visit);
    const [elder, { items }] = await Promise.all([
      api.elder(visit.elderId),
      visitsApi.elderVisits(visit.elderId, year),
    ]);
    // The visit itself stands even if the year's list was read a moment before it was stored.
    const visits = items.some((v) => v.id === visit.id) ? items : [visit, ...items];
    const data: PrintData = { elder, year, visits, templates: await loadTemplatesOf(visits) };
    return { data, visit, parts: printParts(visits, data.templates, visit.id) };
  })!;
  const ok = loaded.state === 'ok' ? loaded.data : undefined;
  return (
    <PrintFrame
      loaded={loaded}
      title={ok && `探访记录-${ok.data.elder.name}-${ok.visit.visitedAt.slice(0, 10)}`}
      backTo={ok ? elderVisitPath(ok.visit.elderId, ok.visit.id, ok.visit.visitedAt) : '/elders'}
      empty={
        ok && ok.parts.length === 0
          ? `无法载入探访记录表“${ok.visit.template.name}”，暂不能打印。`
          : undefined
      }
    >
      {ok && <PrintParts data={ok.data} parts={ok.parts} />}
    </PrintFrame>
  );
}
