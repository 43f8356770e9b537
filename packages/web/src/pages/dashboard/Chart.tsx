import { useEffect, useRef, type CSSProperties } from 'react';
import type * as EchartsModule from './echarts';
import type { ChartOption } from './echarts';

type Echarts = typeof EchartsModule;
let loading: Promise<Echarts> | null = null;

/**
 * Loads ECharts (its own chunk, fetched and parsed while the page asks the server for the
 * figures); the first call starts it, every later one gets the same promise.
 */
export function loadCharts(): Promise<Echarts> {
  return (loading ??= import('./echarts'));
}

/**
 * One ECharts chart: made when mounted (once ECharts is loaded), given a new option when it
 * changes, resized with its box (a phone turned, the menu opened), disposed when unmounted.
 * `onRendered` is called once, when the first option has finished drawing.
 */
export function Chart({
  option,
  height,
  label,
  testId,
  onRendered,
  style,
}: {
  option: ChartOption;
  height: number;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  testId: string;
  onRendered?: () => void;
  style?: CSSProperties;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<Echarts['echarts']['init']> | null>(null);
  const latest = useRef(option);
  latest.current = option;
  const rendered = useRef(false);
  const onRenderedRef = useRef(onRendered);
  onRenderedRef.current = onRendered;

  useEffect(() => {
    const el = box.current!;
    let observer: ResizeObserver | undefined;
    let disposed = false;
    void loadCharts().then(({ echarts }) => {
      if (disposed) return;
      const c = echarts.init(el, undefined, { renderer: 'canvas' });
      chart.current = c;
      c.on('finished', () => {
        if (rendered.current) return;
        rendered.current = true;
        el.dataset['rendered'] = 'true';
        onRenderedRef.current?.();
      });
      draw(c, latest.current);
      observer = new ResizeObserver(() => c.resize());
      observer.observe(el);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (chart.current) draw(chart.current, option);
  }, [option]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ width: '100%', height, ...style }}
    />
  );
}

/** Draws an option without an entrance animation: the figures are there at once. */
function draw(
  c: { setOption: (o: ChartOption, opts: { notMerge: boolean }) => void },
  o: ChartOption,
) {
  c.setOption({ animation: false, ...o }, { notMerge: true });
}
