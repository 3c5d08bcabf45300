/**
 * Draw the data plane benchmark (bench/kmod/dpbench.c) as an SVG bar chart:
 * for each frame size and call mode, frames/s delivered by direct AF_UNIX,
 * libipn's kernel backend, libipn's user engine and vde_switch, with the
 * kernel backend's ratios under each group.
 *
 *   scripts/deno.sh run -A bench/kmod/chart.ts build/bench/kmod.json build/bench/kmod.svg
 *
 * @module
 */
interface Row {
  cpus: string;
  size: number;
  mode: string;
  unix: number;
  kernel: number;
  engine: number;
  vde_switch: number;
  kernel_vs_vde: number;
  kernel_vs_unix: number;
}

const [input, output] = Deno.args;
if (!input || !output) {
  console.error("usage: chart.ts IN.json OUT.svg");
  Deno.exit(2);
}
const doc = JSON.parse(Deno.readTextFileSync(input));
const rows: Row[] = doc.results;
const series: { key: keyof Row; label: string; color: string }[] = [
  { key: "unix", label: "AF_UNIX datagrams", color: "#7f7f7f" },
  { key: "kernel", label: "libipn kernel backend", color: "#2a7ab9" },
  { key: "engine", label: "libipn user engine", color: "#4f9a50" },
  { key: "vde_switch", label: "vde_switch (one call per frame)", color: "#c0504d" },
];
const group = 4 * 34 + 40;
const W = 80 + group * rows.length + 20;
const H = 380;
const base = 270;
const top = 60;
const max = Math.max(...rows.flatMap((r) => series.map((s) => Number(r[s.key]))));
const y = (v: number) => base - (v / max) * (base - top);
const parts: string[] = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
  `<text x="10" y="18" font-size="14">Frames/s delivered in one guest of Debian's kernel under qemu (higher is better); burst ${doc.burst}</text>`,
];
series.forEach((s, i) => {
  parts.push(`<rect x="${10 + i * 190}" y="30" width="10" height="10" fill="${s.color}"/>`);
  parts.push(`<text x="${24 + i * 190}" y="39">${s.label}</text>`);
});
parts.push(`<line x1="60" y1="${base}" x2="${W - 10}" y2="${base}" stroke="#333"/>`);
rows.forEach((r, g) => {
  const x0 = 80 + g * group;
  series.forEach((s, i) => {
    const v = Number(r[s.key]);
    const x = x0 + i * 34;
    parts.push(`<rect x="${x}" y="${y(v)}" width="30" height="${base - y(v)}" fill="${s.color}"/>`);
    parts.push(
      `<text x="${x + 15}" y="${y(v) - 3}" text-anchor="middle" font-size="9">${
        (v / 1000).toFixed(0)
      }k</text>`,
    );
  });
  const mid = x0 + 2 * 34 - 2;
  parts.push(
    `<text x="${mid}" y="${base + 15}" text-anchor="middle">${r.size} B, ${r.mode}</text>`,
  );
  parts.push(
    `<text x="${mid}" y="${base + 30}" text-anchor="middle">kernel/vde ${
      r.kernel_vs_vde.toFixed(2)
    }x</text>`,
  );
  parts.push(
    `<text x="${mid}" y="${base + 45}" text-anchor="middle">kernel/unix ${
      r.kernel_vs_unix.toFixed(2)
    }</text>`,
  );
  parts.push(
    `<text x="${mid}" y="${base + 62}" text-anchor="middle" font-weight="bold">${
      r.cpus === "one" ? "all on one CPU" : "spread over the CPUs"
    }</text>`,
  );
});
parts.push("</svg>");
Deno.writeTextFileSync(output, parts.join("\n") + "\n");
