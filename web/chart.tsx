import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
  /** Bars instead of a line. */
  bars?: boolean;
}

const bars = uPlot.paths.bars!({ size: [0.6, 40] });

/**
 * A time-series chart (uPlot, drawn on a canvas) over whole days. `format` labels the y axis and the legend. It
 * follows its container's width.
 */
export function DayChart({ days, series, format, label }: { days: string[]; series: Series[]; format: (v: number) => string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const plot = new uPlot({
      width: el.clientWidth || 600,
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      // Half a day of margin on each side, so the first and last days' bars are drawn whole.
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(max ?? 1, 1)] } },
      axes: [
        { stroke: '#647083', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e1e5ec' } },
        { stroke: '#647083', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e1e5ec' }, values: (_u, ticks) => ticks.map(format), size: 56 },
      ],
      series: [
        { label: 'Day', value: (_u, ts) => (ts == null ? '—' : new Date(ts * 1000).toISOString().slice(0, 10)) },
        ...series.map((s) => ({
          label: s.label, stroke: s.color, width: 2, fill: s.bars ? `${s.color}cc` : `${s.color}14`,
          points: { show: days.length <= 62 }, spanGaps: false, value: (_u: uPlot, v: number | null) => (v == null ? '—' : format(v)),
          ...(s.bars ? { paths: bars } : {}),
        })),
      ],
    }, [x, ...series.map((s) => s.values)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series]);
  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
