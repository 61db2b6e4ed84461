// The world map: event counts by country, drawn offline from world-atlas's TopoJSON.
import { max } from "d3-array";
import { geoEqualEarth, geoPath } from "d3-geo";
import { scaleSequentialLog } from "d3-scale";
import { interpolateYlOrRd } from "d3-scale-chromatic";
import { select } from "d3-selection";
import { feature } from "topojson-client";
import world from "world-atlas/countries-110m.json";
import { countryName, featureKey, mapKey } from "./countries.js";

const countries = feature(world, world.objects.countries).features;

// rows: [{code: "IRN", count}] (CAMEO country codes). onPick(code) on a click.
export function drawMap(container, rows, { width = 900, height = 440, onPick } = {}) {
  const root = select(container);
  root.selectAll("*").remove();
  const byKey = new Map();  // feature key -> {count, codes}
  const unmapped = [];
  for (const r of rows) {
    const k = mapKey(r.code);
    if (!k) {
      unmapped.push(r);
      continue;
    }
    const cur = byKey.get(k) || { count: 0, codes: [] };
    cur.count += r.count;
    cur.codes.push(r.code);
    byKey.set(k, cur);
  }
  const top = max([...byKey.values()], (v) => v.count) || 1;
  const color = scaleSequentialLog(interpolateYlOrRd).domain([1, Math.max(2, top)]);
  const projection = geoEqualEarth().fitSize([width, height], { type: "Sphere" });
  const path = geoPath(projection);
  const svg = root.append("svg").attr("viewBox", `0 0 ${width} ${height}`).attr("class", "map")
    .attr("role", "img").attr("aria-label", "events by country");
  svg.append("path").attr("d", path({ type: "Sphere" })).attr("class", "sphere");
  svg.append("g").selectAll("path").data(countries).join("path")
    .attr("d", path)
    .attr("class", "country")
    .attr("fill", (f) => {
      const v = byKey.get(featureKey(f));
      return v ? color(Math.max(1, v.count)) : "#eef0f3";
    })
    .on("click", (_, f) => {
      const v = byKey.get(featureKey(f));
      if (v && onPick) onPick(v.codes[0]);
    })
    .append("title")
    .text((f) => {
      const v = byKey.get(featureKey(f));
      const name = f.properties && f.properties.name;
      return v ? `${name} (${v.codes.join(", ")}): ${v.count} events` : `${name}: no events`;
    });
  return { unmapped, countryName };
}
