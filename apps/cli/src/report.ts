// The demo's report.html: one self-contained file (pictures inlined as data URIs, no scripts, no external
// references) so it opens offline and can be mailed around.
import { escapeXml } from '@latentkit/viz';

export interface ReportSection {
  readonly id: string;
  readonly heading: string;
  /** Trusted HTML built by the caller with `html` helpers below. */
  readonly body: string;
}

export const esc = (s: string | number): string => escapeXml(String(s));

export function figure(src: string, caption: string, alt = caption): string {
  return `<figure><img src="${src}" alt="${esc(alt)}"><figcaption>${esc(caption)}</figcaption></figure>`;
}

export function inlineSvg(svg: string, caption: string): string {
  return `<figure class="svg">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (c: string | number) => (typeof c === 'number' ? `<td class="num">${esc(formatCell(c))}</td>` : `<td>${esc(c)}</td>`);
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

function formatCell(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return Math.abs(v) < 0.01 ? v.toExponential(3) : v.toFixed(4);
}

export function renderReport(title: string, intro: string, sections: readonly ReportSection[]): string {
  const nav = sections.map((s) => `<a href="#${s.id}">${esc(s.heading)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#1b1b1b;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
nav{font-size:.9rem;color:#555}nav a{color:#2458a6;text-decoration:none}
figure{margin:1rem 0;overflow-x:auto}figure img{image-rendering:pixelated;max-width:100%}
figcaption{font-size:.85rem;color:#555}
table{border-collapse:collapse;margin:.8rem 0}th,td{padding:.25rem .7rem;border-bottom:1px solid #e5e5e5;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.svg svg{max-width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
code{background:#f4f4f4;padding:0 .25rem;border-radius:3px}
.warning{color:#8a1c00}ul.warning{background:#fff3ef;border-left:4px solid #c43d12;padding:.5rem 1.5rem}
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>${intro}</p>
<nav>${nav}</nav>
${sections.map((s) => `<section id="${s.id}"><h2>${esc(s.heading)}</h2>${s.body}</section>`).join('\n')}
</body>
</html>
`;
}
