/**
 * The parts of Apache ECharts the dashboard draws with, registered once: `echarts/core` with
 * only these charts and components, so the bundle carries nothing else (and only the dashboard's
 * lazy chunk carries it at all).
 */
import { BarChart, LineChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
/** The option object of a chart. */
export type ChartOption = echarts.EChartsCoreOption;
