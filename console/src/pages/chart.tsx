/** A day chart drawn with uPlot: one line per series, sized to its container. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: number[];
  colour: string;
}

/** Lines over days (`YYYY-MM-DD`), with a text summary for screen readers. */
export function DayChart({ days, series, title }: { days: string[]; series: Series[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
    const width = () => Math.max(280, element.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        axes: [{}, { size: 50 }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2 }))],
      },
      [xs, ...series.map((s) => s.values)],
      element,
    );
    const resize = () => plot.setSize({ width: width(), height: 260 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [days, series]);
  const totals = series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`${title}: ${totals}`} />
      <figcaption class="muted">{title}</figcaption>
    </figure>
  );
}
