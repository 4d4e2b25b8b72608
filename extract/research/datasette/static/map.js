// The /map page: province or prefecture outlines (/-/geo/LEVEL.json) filled by the figures' totals
// (/-/map-data/DB.json), with filters, a legend and labels. Values read as reports write them.
const NS = "http://www.w3.org/2000/svg";
const form = document.getElementById("map-filters");
const DB = form.dataset.db;
const COLORS = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"];  // light to dark: more
const geoCache = {};

function amount(v, unit, digits) {  // the rules of research/amounts.py; labels and legend keep 4 digits
  if (v === null || v === undefined) return "";
  const noScale = ["%", "‰", "个百分点", "个千分点", "岁", "年", "天", "月"];
  let word = "";
  if (!noScale.includes(unit)) {
    for (const [s, w] of [[1e12, "万亿"], [1e8, "亿"], [1e4, "万"]]) { if (Math.abs(v) >= s) { v = v / s; word = w; break; } }
  }
  const text = Number(v.toPrecision(digits || (word ? 6 : 10))).toString();
  return text + word + (unit || "");
}

function params() {
  const p = new URLSearchParams();
  for (const el of form.elements) if (el.name && el.value && el.name !== "unit") p.set(el.name, el.value);
  return p;
}

async function geo(level) {
  if (!geoCache[level]) geoCache[level] = (await fetch(`/-/geo/${level}.json`)).json();
  return geoCache[level];
}

function fill(select, values, keep) {
  const first = select.name === "unit" ? [] : [select.options[0]];
  const old = keep || select.value;
  select.replaceChildren(...first);
  for (const v of values) { const o = document.createElement("option"); o.value = o.textContent = v; select.appendChild(o); }
  if ([...select.options].some(o => o.value === old)) select.value = old;
}

async function draw() {
  const status = document.getElementById("map-status");
  const p = params();
  const [shapes, data] = await Promise.all([geo(p.get("level") || "province"),
    fetch(`/-/map-data/${DB}.json?${p}`).then(r => r.json())]);
  if (data.error) { status.textContent = data.error; return; }
  for (const name of ["year", "indicator", "category"]) fill(form.elements[name], data.options[name]);
  const unitSel = form.elements.unit;
  const units = [...new Set(data.areas.map(a => a.unit))];
  // open on money if there is any, else the unit with most figures (never an arbitrary first one)
  const counts = {}; for (const a of data.areas) counts[a.unit] = (counts[a.unit] || 0) + a.figures;
  const best = units.includes("元") ? "元" : units.sort((a, b) => counts[b] - counts[a])[0];
  fill(unitSel, units, unitSel.value && units.includes(unitSel.value) ? unitSel.value : best);
  const unit = unitSel.value;
  // one value per area: the measure with most figures in this unit (a level before a change)
  const byArea = {};
  for (const a of data.areas.filter(a => a.unit === unit)) {
    const have = byArea[a.code];
    if (!have || a.figures > have.figures) byArea[a.code] = a;
  }
  render(shapes, byArea, unit, p.get("level") || "province");
  const n = Object.keys(byArea).length;
  status.textContent = n ? `${n} ${p.get("level") === "prefecture" ? "地市 prefectures" : "省 provinces"} with figures in ${unit}` : "没有符合条件的数字 No figures match these filters.";
}

function render(shapes, byArea, unit, level) {
  const svg = document.getElementById("map");
  svg.replaceChildren();
  const W = 1000, H = 800, k0 = Math.cos(35 * Math.PI / 180);
  let x0 = 73, x1 = 135.5, y0 = 17.5, y1 = 54;  // mainland China and Hainan
  const withData = shapes.features.filter(f => byArea[f.properties.code]);
  if (level === "prefecture" && withData.length) {  // prefectures: the part of the country that has figures
    const pts = withData.flatMap(f => f.geometry.coordinates.flat(2));
    x0 = Math.min(...pts.map(p => p[0])) - 1; x1 = Math.max(...pts.map(p => p[0])) + 1;
    y0 = Math.min(...pts.map(p => p[1])) - 1; y1 = Math.max(...pts.map(p => p[1])) + 1;
  }
  const sx = (W - 20) / ((x1 - x0) * k0), sy = (H - 20) / (y1 - y0), s = Math.min(sx, sy);
  const px = x => 10 + (x - x0) * k0 * s, py = y => 10 + (y1 - y) * s;
  const values = Object.values(byArea).map(a => a.value).filter(v => v !== null).sort((a, b) => a - b);
  // up to five classes at quantiles of the areas' values; fewer when fewer values differ
  const uniq = [...new Set(values)];
  const cuts = uniq.length <= COLORS.length ? uniq.slice(0, -1)
    : [...new Set([1, 2, 3, 4].map(i => values[Math.floor(i * values.length / COLORS.length)]))];
  const palette = COLORS.slice(COLORS.length - cuts.length - 1);
  const color = v => palette[cuts.filter(c => v > c).length];
  const labels = [];
  for (const f of shapes.features) {
    const a = byArea[f.properties.code];
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", f.geometry.coordinates.map(poly => poly.map(ring =>
      "M" + ring.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join("L") + "Z").join("")).join(""));
    path.setAttribute("class", "area" + (a ? " has-data" : " nodata"));
    path.dataset.code = f.properties.code;
    if (a) { path.setAttribute("fill", color(a.value)); path.dataset.value = a.value; }
    const tip = document.createElementNS(NS, "title");
    tip.textContent = a ? `${f.properties.name}: ${amount(a.value, unit)} (${a.figures} figures)` : `${f.properties.name}: —`;
    path.appendChild(tip);
    svg.appendChild(path);
    if (a) labels.push([f, a]);
  }
  // labels of the areas with data, largest first, skipping those that would overlap a placed one
  const placed = [];
  labels.sort((p, q) => q[1].value - p[1].value);
  for (const [f, a] of labels) {
    const [lx, ly] = [px(f.properties.label[0]), py(f.properties.label[1])];
    if (placed.some(([x, y]) => Math.abs(x - lx) < 70 && Math.abs(y - ly) < 30)) continue;
    placed.push([lx, ly]);
    for (const [i, line] of [f.properties.name.replace(/(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$/, ""), amount(a.value, unit, 4)].entries()) {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", lx); t.setAttribute("y", ly + i * 15); t.setAttribute("class", "area-label");
      t.textContent = line; svg.appendChild(t);
    }
  }
  const legend = document.getElementById("legend");
  const lows = [values[0], ...cuts.map(c => values.find(v => v > c))];
  const highs = [...cuts, values[values.length - 1]];
  legend.innerHTML = values.length ? `<b>${unit}</b><br>` + palette.map((c, i) => `<i style="background:${c}"></i>` +
    (lows[i] === highs[i] ? amount(lows[i], unit, 4) : `${amount(lows[i], unit, 4)} – ${amount(highs[i], unit, 4)}`) + "<br>").join("") +
    `<i style="background:#e5e7eb"></i>无数据 no figures` : "";
}

form.addEventListener("change", draw);
const initial = new URLSearchParams(location.search);
for (const [k, v] of initial) if (form.elements[k]) {
  const el = form.elements[k];
  if (![...el.options].some(o => o.value === v)) { const o = document.createElement("option"); o.value = o.textContent = v; el.appendChild(o); }
  el.value = v;
}
draw();
