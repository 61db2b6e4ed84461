// The time series: one line per group (QuadClass, dyad, or the total), a point per period.
import { extent, max } from "d3-array";
import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear, scaleOrdinal, scaleUtc } from "d3-scale";
import { schemeTableau10 } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { line } from "d3-shape";
import { utcParse } from "d3-time-format";

export const QUAD_COLORS = { 1: "#68a357", 2: "#1f6f3f", 3: "#e8a33d", 4: "#c0392b" };
export const QUAD_NAMES = {
  1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict",
};

const parseDay = utcParse("%Y-%m-%d");

// series: [{key, label, color?, points: [{period: "YYYY-MM-DD", count}]}]
// onPick(period, key): called when a point is clicked.
export function drawSeries(container, series, { width = 900, height = 280, onPick } = {}) {
  const root = select(container);
  root.selectAll("*").remove();
  const all = series.flatMap((s) => s.points.map((p) => ({ ...p, d: parseDay(p.period) })));
  if (!all.length) {
    root.append("p").attr("class", "empty").text("No events match these filters.");
    return;
  }
  const m = { top: 12, right: 16, bottom: 26, left: 48 };
  const svg = root.append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("class", "chart")
    .attr("role", "img").attr("aria-label", "events over time");
  let [x0, x1] = extent(all, (p) => p.d);
  if (+x0 === +x1) {
    x0 = new Date(+x0 - 864e5);
    x1 = new Date(+x1 + 864e5);
  }
  const x = scaleUtc().domain([x0, x1]).range([m.left, width - m.right]);
  const y = scaleLinear().domain([0, max(all, (p) => p.count) || 1]).nice()
    .range([height - m.bottom, m.top]);
  svg.append("g").attr("transform", `translate(0,${height - m.bottom})`)
    .call(axisBottom(x).ticks(Math.min(10, width / 90)).tickSizeOuter(0));
  svg.append("g").attr("transform", `translate(${m.left},0)`)
    .call(axisLeft(y).ticks(5))
    .call((g) => g.selectAll(".tick line").clone().attr("x2", width - m.left - m.right)
      .attr("stroke-opacity", 0.08));
  const colors = scaleOrdinal(schemeTableau10);
  const path = line().x((p) => x(p.d)).y((p) => y(p.count));
  for (const s of series) {
    const pts = s.points.map((p) => ({ ...p, d: parseDay(p.period) })).sort((a, b) => a.d - b.d);
    const color = s.color || colors(s.key);
    svg.append("path").datum(pts).attr("fill", "none").attr("stroke", color)
      .attr("stroke-width", 1.8).attr("d", path);
    svg.append("g").selectAll("circle").data(pts).join("circle")
      .attr("cx", (p) => x(p.d)).attr("cy", (p) => y(p.count)).attr("r", pts.length > 120 ? 1.6 : 3)
      .attr("fill", color).attr("class", "pt")
      .on("click", (_, p) => onPick && onPick(p.period, s.key))
      .append("title").text((p) => `${s.label}\n${p.period}: ${p.count} events`);
  }
  const legend = root.append("div").attr("class", "legend");
  for (const s of series) {
    const item = legend.append("span").attr("class", "item");
    item.append("i").style("background", s.color || colors(s.key));
    item.append("span").text(s.label);
  }
}
