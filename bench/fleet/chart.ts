/**
 * Draw the fleet benchmark as an SVG: TCP throughput of each path (log
 * scale) and ICMP echo latency p50/p99 (linear), with the uplink's ratios.
 *
 *   scripts/deno.sh run -A bench/fleet/chart.ts build/bench/fleet.json build/bench/fleet.svg
 *
 * @module
 */
interface Result {
  throughput: Record<string, { mbps: number }>;
  latency: Record<string, { p50_ms: number; p99_ms: number }>;
  ratios: Record<string, number>;
}

const [input, output] = Deno.args;
if (!input || !output) {
  console.error("usage: chart.ts IN.json OUT.svg");
  Deno.exit(2);
}
const r: Result = JSON.parse(Deno.readTextFileSync(input));
const FLOWS = ["uplink", "underlay", "kernel_vxlan"];
const LABEL: Record<string, string> = {
  uplink: "ipn uplink (tap to tap)",
  underlay: "veth underlay",
  kernel_vxlan: "kernel VXLAN",
};
const COLOR: Record<string, string> = {
  uplink: "#2a7ab9",
  underlay: "#7f7f7f",
  kernel_vxlan: "#c0504d",
};
const W = 760;
const H = 340;
const base = 270;
const top = 70;
const parts: string[] = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
  `<text x="10" y="20" font-size="14">Two hosts over a veth underlay: ipn VXLAN uplink vs underlay vs kernel VXLAN</text>`,
];

/** A bar with its value written above it. */
function bar(x: number, y: number, w: number, color: string, text: string) {
  parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${base - y}" fill="${color}"/>`);
  parts.push(`<text x="${x + w / 2}" y="${y - 4}" text-anchor="middle">${text}</text>`);
}

// Throughput, log scale from 1 Mbit/s.
const maxMbps = Math.max(...FLOWS.map((f) => r.throughput[f].mbps), 10);
const yLog = (v: number) =>
  base - (Math.log10(Math.max(v, 1)) / Math.log10(maxMbps)) * (base - top);
parts.push(
  `<text x="40" y="${top - 30}">TCP throughput, Mbit/s (log scale; higher is better)</text>`,
);
parts.push(`<line x1="30" y1="${base}" x2="350" y2="${base}" stroke="#333"/>`);
FLOWS.forEach((f, i) => {
  const v = r.throughput[f].mbps;
  bar(50 + i * 100, yLog(v), 60, COLOR[f], v.toFixed(0));
});
parts.push(
  `<text x="190" y="${
    base + 36
  }" text-anchor="middle">uplink / underlay = ${r.ratios.throughput_uplink_over_underlay}, uplink / kernel VXLAN = ${r.ratios.throughput_uplink_over_kernel_vxlan}</text>`,
);

// Latency p50 (solid) and p99 (light), linear.
const maxMs = Math.max(...FLOWS.map((f) => r.latency[f].p99_ms));
const yLin = (v: number) => base - (v / maxMs) * (base - top);
parts.push(`<text x="420" y="${top - 30}">ICMP echo RTT, ms: p50 and p99 (lower is better)</text>`);
parts.push(`<line x1="400" y1="${base}" x2="${W - 20}" y2="${base}" stroke="#333"/>`);
FLOWS.forEach((f, i) => {
  const x = 420 + i * 110;
  bar(x, yLin(r.latency[f].p50_ms), 40, COLOR[f], r.latency[f].p50_ms.toFixed(2));
  parts.push(`<g opacity="0.5">`);
  bar(x + 44, yLin(r.latency[f].p99_ms), 40, COLOR[f], r.latency[f].p99_ms.toFixed(2));
  parts.push(`</g>`);
});
parts.push(
  `<text x="${(400 + W - 20) / 2}" y="${
    base + 36
  }" text-anchor="middle">uplink / underlay: p50 ${r.ratios.p50_latency_uplink_over_underlay}, p99 ${r.ratios.p99_latency_uplink_over_underlay}</text>`,
);

// Legend.
FLOWS.forEach((f, i) => {
  const x = 40 + i * 230;
  parts.push(`<rect x="${x}" y="${H - 22}" width="12" height="12" fill="${COLOR[f]}"/>`);
  parts.push(`<text x="${x + 18}" y="${H - 12}">${LABEL[f]}</text>`);
});
parts.push("</svg>");
Deno.writeTextFileSync(output, parts.join("\n") + "\n");
