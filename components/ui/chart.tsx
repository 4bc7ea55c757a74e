"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ReactElement } from "react";
import { cn } from "@/lib/utils";

export interface ChartSeries<K extends string> {
  key: K;
  label: string;
  /** A CSS colour; the theme's `var(--chart-N)` keeps it readable in light and dark. */
  color: string;
}

type Row<K extends string> = { label: string } & Record<K, number>;

interface ChartProps<K extends string> {
  title: string;
  data: Row<K>[];
  series: ChartSeries<K>[];
  height?: number;
  className?: string;
  valueFormatter?: (value: number) => string;
  /** What each row's label is, heading the table's first column. */
  rowHeader?: string;
}

const axisProps = {
  stroke: "var(--muted-foreground)",
  tick: { fill: "var(--muted-foreground)", fontSize: 12 },
  tickLine: false,
  axisLine: false,
} as const;

const tooltipProps = {
  contentStyle: {
    background: "var(--popover)",
    border: "1px solid var(--border)",
    borderRadius: 8,
    color: "var(--popover-foreground)",
    fontSize: 12,
  },
  labelStyle: { color: "var(--popover-foreground)", fontWeight: 600 },
  cursor: { fill: "var(--muted)", opacity: 0.6 },
} as const;

function tooltipFormatter(format: ((value: number) => string) | undefined) {
  if (!format) return undefined;
  return (value: unknown) => (typeof value === "number" ? format(value) : "");
}

/**
 * The picture itself is aria-hidden, so Recharts' keyboard layer is off (a focusable element
 * inside aria-hidden is an accessibility error): keyboard and screen-reader users get the
 * numbers from this table instead.
 *
 * The data behind a chart as a table for screen readers: a chart is a picture, the numbers
 * are the content.
 */
function ChartTable<K extends string>({
  title,
  data,
  series,
  valueFormatter,
  rowHeader = "Day",
}: Pick<ChartProps<K>, "title" | "data" | "series" | "valueFormatter" | "rowHeader">) {
  const format = valueFormatter ?? ((value: number) => value.toLocaleString());
  return (
    // A table is never narrower than its content, even `sr-only`: the wrapper clips it, or a
    // wide table would widen the page on a phone.
    <div className="sr-only">
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              {series.map((s) => (
                <td key={s.key}>{format(row[s.key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Grid, axes, tooltip and legend: the same in every chart (recharts wants them as direct children). */
function chartFurniture<K extends string>(
  series: ChartSeries<K>[],
  valueFormatter: ((value: number) => string) | undefined,
) {
  return [
    <CartesianGrid key="grid" vertical={false} stroke="var(--border)" />,
    <XAxis key="x" dataKey="label" {...axisProps} />,
    <YAxis key="y" allowDecimals={false} {...axisProps} />,
    <Tooltip key="tooltip" {...tooltipProps} formatter={tooltipFormatter(valueFormatter)} />,
    series.length > 1 ? (
      <Legend key="legend" wrapperStyle={{ fontSize: 12, color: "var(--muted-foreground)" }} />
    ) : null,
  ];
}

const CHART_MARGIN = { top: 8, right: 8, left: -16, bottom: 0 };

/**
 * The picture (hidden from screen readers, which get the table instead) and the table. The
 * chart's own keyboard layer is off: it would put a focusable element inside hidden content.
 */
function ChartFigure<K extends string>({
  title,
  data,
  series,
  height = 240,
  className,
  valueFormatter,
  rowHeader,
  children,
}: ChartProps<K> & { children: ReactElement }) {
  return (
    <figure className={cn("w-full", className)}>
      <div aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <ChartTable
        title={title}
        data={data}
        series={series}
        valueFormatter={valueFormatter}
        {...(rowHeader ? { rowHeader } : {})}
      />
    </figure>
  );
}

/** Bars per day, stacked when there are several series (e.g. requests by status class). */
export function StackedBarChart<K extends string>(props: ChartProps<K>) {
  const { data, series, valueFormatter } = props;
  return (
    <ChartFigure {...props}>
      <BarChart data={data} margin={CHART_MARGIN} accessibilityLayer={false}>
        {chartFurniture(series, valueFormatter)}
        {series.map((s, index) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stackId="stack"
            fill={s.color}
            radius={index === series.length - 1 ? [4, 4, 0, 0] : 0}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFigure>
  );
}

/** Lines per day (e.g. latency percentiles). */
export function TrendLineChart<K extends string>(props: ChartProps<K>) {
  const { data, series, valueFormatter } = props;
  return (
    <ChartFigure {...props}>
      <LineChart data={data} margin={CHART_MARGIN} accessibilityLayer={false}>
        {chartFurniture(series, valueFormatter)}
        {series.map((s) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={s.color}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}
