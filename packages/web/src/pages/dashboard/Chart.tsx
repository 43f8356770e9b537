import { useEffect, useRef, type CSSProperties } from 'react';
import { echarts, type ChartOption } from './echarts';

/**
 * One ECharts chart: made when mounted, given a new option when it changes, resized with its box
 * (a phone turned, the menu opened), disposed when unmounted. `onRendered` is called once, when
 * the first option has finished drawing.
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
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  const rendered = useRef(false);
  const onRenderedRef = useRef(onRendered);
  onRenderedRef.current = onRendered;

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('finished', () => {
      if (rendered.current) return;
      rendered.current = true;
      el.dataset['rendered'] = 'true';
      onRenderedRef.current?.();
    });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
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
