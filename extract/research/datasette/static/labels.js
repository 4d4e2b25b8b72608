// Chinese labels under the column names of zhmine's tables (datasette/labels.json, served inline by the page)
// loaded in the page's head: run once the table is there
document.addEventListener("DOMContentLoaded", async function () {
  const heads = document.querySelectorAll("table.rows-and-columns th[data-column]");
  if (!heads.length) return;
  let labels;
  try { labels = await (await fetch("/-/zhmine/labels.json")).json(); } catch (e) { return; }
  for (const th of heads) {
    const item = labels[th.dataset.column];
    if (!item || th.querySelector(".zh-label")) continue;
    const span = document.createElement("span");
    span.className = "zh-label"; span.textContent = item.zh; span.title = item.description;
    th.appendChild(span);
  }
});
