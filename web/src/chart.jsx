// The ingestion-rate chart: records received per KST hour, one series per
// terminal, drawn by uPlot (small, canvas, no dependencies). The canvas is
// an image to assistive technology; the same numbers are in a table beside
// it, so nothing is only in the picture.
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { t } from "./i18n.js";

const COLORS = ["#0b57d0", "#b3261e", "#146c2e", "#7c4dff", "#8a5300", "#006874"];

/// `received`: [{terminal_id, hour, records}]; `terminals`: [{terminal_id, name}].
export function IngestionChart({ lang, received, terminals }) {
  const box = useRef(null);
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const series = terminals.map((term) => hours.map((h) => {
    const c = received.find((r) => r.terminal_id === term.terminal_id && r.hour === h);
    return c ? c.records : 0;
  }));
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // As wide as its box, and again whenever the box changes (a phone
    // turned, a window narrowed): never wider than the screen.
    const fit = () => Math.max(240, Math.min(el.clientWidth || 600, 900));
    const plot = new uPlot({
      width: fit(),
      height: 220,
      scales: { x: { time: false } },
      axes: [{ label: t(lang, "chart.hour") }, { label: t(lang, "chart.records") }],
      series: [{ label: t(lang, "chart.hour") }, ...terminals.map((term, i) => ({
        label: term.name, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true },
      }))],
    }, [hours, ...series], el);
    const watch = new ResizeObserver(() => plot.setSize({ width: fit(), height: 220 }));
    watch.observe(el);
    return () => {
      watch.disconnect();
      plot.destroy();
    };
  }, [lang, JSON.stringify(received), JSON.stringify(terminals)]);
  const total = (i) => series[i].reduce((a, b) => a + b, 0);
  return (
    <figure class="chart">
      <figcaption>{t(lang, "chart.caption")}</figcaption>
      <div ref={box} role="img" aria-label={t(lang, "chart.caption")} data-chart="ingestion" />
      <table class="compact">
        <caption class="visually-hidden">{t(lang, "chart.caption")}</caption>
        <thead><tr><th scope="col">{t(lang, "terminal.name")}</th><th scope="col">{t(lang, "chart.busiest")}</th><th scope="col">{t(lang, "chart.total")}</th></tr></thead>
        <tbody>
          {terminals.map((term, i) => {
            const peak = series[i].reduce((best, n, h) => (n > series[i][best] ? h : best), 0);
            return (
              <tr data-terminal={term.terminal_id}>
                <th scope="row">{term.name}</th>
                <td>{total(i) ? `${String(peak).padStart(2, "0")}:00 (${series[i][peak]})` : "—"}</td>
                <td data-field="received-total">{total(i)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}
