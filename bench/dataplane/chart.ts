/**
 * The benchmark's chart, drawn as plain SVG: delivered frames/s per case
 * and variant (log scale), and round-trip latency p50/p99.
 *
 * @module
 */

interface Report {
  machine: { cpus: number; pinning: string; loadavgBefore: string };
  throughput: { case: string; size: number; variant: string; fps: number; loss: number }[];
  latency: { variant: string; p50us: number; p99us: number }[];
  ratios: Record<string, number>;
}

const COLORS: Record<string, string> = {
  af_unix: "#888888",
  "ipn-vde": "#1f77b4",
  vde_switch: "#d62728",
  vdeplug4: "#ff7f0e",
  "ipn-native": "#2ca02c",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

/** Render the report as an SVG document. */
export function chart(r: Report): string {
  const variants = [...new Set(r.throughput.map((t) => t.variant))];
  const groups = [...new Set(r.throughput.map((t) => `${t.case} ${t.size}B`))];
  const W = 900, H = 720, left = 70, top = 50, plotH = 300, gw = (W - left - 20) / groups.length;
  const bw = (gw - 20) / variants.length;
  const maxFps = Math.max(...r.throughput.map((t) => t.fps), 10);
  const lo = 1e4, hi = Math.pow(10, Math.ceil(Math.log10(maxFps)));
  const y = (v: number) =>
    top + plotH - plotH * (Math.log10(Math.max(v, lo)) - Math.log10(lo)) /
      (Math.log10(hi) - Math.log10(lo));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">ipn data plane: delivered frames/s (log scale)</text>`,
    `<text x="${left}" y="40" fill="#555">${r.machine.cpus} CPUs, ${esc(r.machine.pinning)}, load ${
      esc(r.machine.loadavgBefore)
    }</text>`,
  );
  for (let d = lo; d <= hi; d *= 10) {
    out.push(
      `<line x1="${left}" x2="${W - 20}" y1="${y(d)}" y2="${y(d)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${y(d) + 4}" text-anchor="end">${fmt(d)}</text>`,
    );
  }
  groups.forEach((g, gi) => {
    const x0 = left + gi * gw + 10;
    variants.forEach((v, vi) => {
      const t = r.throughput.find((t) => `${t.case} ${t.size}B` === g && t.variant === v);
      if (!t) return;
      const x = x0 + vi * bw;
      out.push(
        `<rect x="${x}" y="${y(t.fps)}" width="${bw - 2}" height="${
          top + plotH - y(t.fps)
        }" fill="${COLORS[v] ?? "#444"}"><title>${esc(v)}: ${Math.round(t.fps)} frames/s, loss ${
          (t.loss * 100).toFixed(2)
        }%</title></rect>`,
        `<text x="${x + bw / 2 - 1}" y="${y(t.fps) - 3}" text-anchor="middle" font-size="9">${
          fmt(t.fps)
        }</text>`,
      );
    });
    out.push(
      `<text x="${x0 + (gw - 20) / 2}" y="${top + plotH + 16}" text-anchor="middle">${
        esc(g)
      }</text>`,
    );
  });
  variants.forEach((v, i) => {
    const x = left + i * 150;
    out.push(
      `<rect x="${x}" y="${top + plotH + 30}" width="12" height="12" fill="${
        COLORS[v] ?? "#444"
      }"/>`,
      `<text x="${x + 16}" y="${top + plotH + 40}">${esc(v)}</text>`,
    );
  });

  // latency: p50 and p99 per variant
  const lt = top + plotH + 90, lh = 160, maxUs = Math.max(...r.latency.map((l) => l.p99us), 1);
  out.push(
    `<text x="${left}" y="${
      lt - 12
    }" font-size="15" font-weight="bold">round-trip latency, 64 B (us): p50 solid, p99 light</text>`,
  );
  const lw = (W - left - 20) / Math.max(r.latency.length, 1);
  r.latency.forEach((l, i) => {
    const x = left + i * lw + 10, c = COLORS[l.variant] ?? "#444";
    const h50 = lh * l.p50us / maxUs, h99 = lh * l.p99us / maxUs;
    out.push(
      `<rect x="${x}" y="${lt + lh - h99}" width="${
        lw / 2 - 8
      }" height="${h99}" fill="${c}" opacity="0.35"/>`,
      `<rect x="${x}" y="${lt + lh - h50}" width="${lw / 2 - 8}" height="${h50}" fill="${c}"/>`,
      `<text x="${x + lw / 2}" y="${lt + lh - h50}" font-size="10">p50 ${l.p50us}</text>`,
      `<text x="${x + lw / 2}" y="${lt + lh - h99 + 10}" font-size="10">p99 ${l.p99us}</text>`,
      `<text x="${x}" y="${lt + lh + 14}">${esc(l.variant)}</text>`,
    );
  });
  const ry = lt + lh + 40;
  Object.entries(r.ratios).forEach(([k, v], i) => {
    out.push(
      `<text x="${left + (i % 2) * 420}" y="${ry + Math.floor(i / 2) * 14}">${esc(k)}: ${v}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
