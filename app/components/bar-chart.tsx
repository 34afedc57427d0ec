/**
 * A horizontal bar chart drawn as SVG on the server: no script, no chart
 * library. It is one image to assistive technology (role="img" with a title
 * and a description); every bar also carries its number as text, and the
 * page puts the same numbers in a table beneath it. A hidden (protected)
 * number draws no bar, only its text ("..").
 */
import { useId } from "react";

export interface ChartBar {
  /** Shown before the number when a group has several bars ("4 veckor"). */
  series?: string;
  value: number | null;
  text: string;
}

export interface ChartGroup {
  label: string;
  bars: ChartBar[];
}

const WIDTH = 360;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const GROUP_GAP = 12;
const TEXT_SPACE = 140;

export function BarChart({ title, description, groups }: { title: string; description: string; groups: ChartGroup[] }) {
  const id = useId();
  const max = Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)));
  // A tenth of a unit is finer than any screen shows, and keeps the markup short.
  const scale = (v: number) => (max > 0 ? Math.round((v / max) * (WIDTH - TEXT_SPACE) * 10) / 10 : 0);
  let y = 0;
  const drawn = groups.map((g) => {
    const top = y;
    y += LABEL_HEIGHT + g.bars.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
    return { group: g, top };
  });
  const height = Math.max(y, 1);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart__svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {drawn.map(({ group, top }) => (
          <g key={group.label}>
            <text x={0} y={top + 14} className="chart__label">
              {group.label}
            </text>
            {group.bars.map((bar, i) => {
              const barTop = top + LABEL_HEIGHT + i * (BAR_HEIGHT + BAR_GAP);
              const width = bar.value === null ? 0 : scale(bar.value);
              return (
                <g key={bar.series ?? i}>
                  {width > 0 ? (
                    <rect x={0} y={barTop} width={width} height={BAR_HEIGHT} className={`chart__bar chart__bar--${i % 2 ? "alt" : "main"}`} />
                  ) : null}
                  <text x={width + 6} y={barTop + 14} className="chart__value">
                    {bar.series ? `${bar.series}: ${bar.text}` : bar.text}
                  </text>
                </g>
              );
            })}
          </g>
        ))}
      </svg>
    </figure>
  );
}
