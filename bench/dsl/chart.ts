/**
 * Draw the language benchmark as an SVG bar chart: for each size, our time
 * warm and cold and nft's work time (log scale), with the ratios below.
 *
 *   scripts/deno.sh run -A bench/dsl/chart.ts build/bench/dsl.json build/bench/dsl.svg
 *
 * @module
 */
interface Row {
  size: string;
  bytes: number;
  ours_ms: number;
  ours_cold_ms?: number;
  nft_work_ms: number | null;
  ratio_ours_over_nft: number | null;
  ratio_cold_ours_over_nft?: number | null;
}

const [input, output] = Deno.args;
if (!input || !output) {
  console.error("usage: chart.ts IN.json OUT.svg");
  Deno.exit(2);
}
const rows: Row[] = JSON.parse(Deno.readTextFileSync(input)).results;
const W = 160 * rows.length + 120;
const H = 320;
const base = 260;
const top = 40;
const max = Math.max(...rows.flatMap((r) => [r.ours_ms, r.ours_cold_ms ?? 0, r.nft_work_ms ?? 0]));
const y = (ms: number) =>
  base - ((Math.log10(Math.max(ms, 1)) / Math.log10(Math.max(max, 10))) * (base - top));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const parts: string[] = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
  `<text x="10" y="20" font-size="14">ipn parse+check+plan vs nft -c -f (ms, log scale; lower is better)</text>`,
  `<line x1="60" y1="${base}" x2="${W - 20}" y2="${base}" stroke="#333"/>`,
];
rows.forEach((r, i) => {
  const x = 80 + i * 160;
  const bar = (dx: number, ms: number | null | undefined, color: string) => {
    if (ms === null || ms === undefined) return;
    parts.push(
      `<rect x="${x + dx}" y="${y(ms)}" width="40" height="${base - y(ms)}" fill="${color}"/>`,
    );
    parts.push(
      `<text x="${x + dx + 20}" y="${y(ms) - 4}" text-anchor="middle">${ms.toFixed(0)}</text>`,
    );
  };
  bar(0, r.ours_ms, "#2a7ab9");
  bar(45, r.ours_cold_ms, "#8fb9dc");
  bar(90, r.nft_work_ms, "#c0504d");
  parts.push(
    `<text x="${x + 65}" y="${base + 16}" text-anchor="middle">${esc(r.size)} (${
      (r.bytes / 1e6).toFixed(2)
    } MB)</text>`,
  );
  if (r.ratio_ours_over_nft !== null) {
    parts.push(
      `<text x="${x + 65}" y="${base + 32}" text-anchor="middle">ratio ${r.ratio_ours_over_nft}${
        r.ratio_cold_ours_over_nft == null ? "" : ` / cold ${r.ratio_cold_ours_over_nft}`
      }</text>`,
    );
  }
});
parts.push(
  `<rect x="${W - 250}" y="30" width="12" height="12" fill="#2a7ab9"/><text x="${
    W - 232
  }" y="40">ipn</text>`,
);
parts.push(
  `<rect x="${W - 190}" y="30" width="12" height="12" fill="#8fb9dc"/><text x="${
    W - 172
  }" y="40">ipn cold</text>`,
);
parts.push(
  `<rect x="${W - 110}" y="30" width="12" height="12" fill="#c0504d"/><text x="${
    W - 92
  }" y="40">nft -c</text>`,
);
parts.push("</svg>");
Deno.writeTextFileSync(output, parts.join("\n") + "\n");
