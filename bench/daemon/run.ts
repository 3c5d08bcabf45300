/**
 * Control-plane benchmark of ipnd, side by side with its peer, in one run:
 *
 * - `ipnctl apply` of 1, 100 and 1,000 switch networks from scratch, and a
 *   no-change `ipnctl plan` at 1,000 (wall time of the whole command, as a
 *   user sees it: process start, parse, observe, diff, journal, verify);
 * - creating 100 networks with one apply against starting 100 `vde_switch`
 *   processes (Debian's vde2) until each serves its control socket.
 *
 * Everything runs in a private network namespace with private directories.
 * Prints JSON and writes build/bench/daemon.json and daemon.svg.
 *
 *   scripts/deno.sh run -A bench/daemon/run.ts [--quick]
 */
import { join } from "node:path";
import { World } from "../../tests/e2e/daemon/harness.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const quick = Deno.args.includes("--quick");

function config(run: string, n: number, prefix: string): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    out +=
      `network ${prefix}${i} {\n  path "${run}/${prefix}${i}"\n  policy switch\n  ports 16\n}\n`;
  }
  return out;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function must(p: Promise<{ code: number; stderr: string }>, what: string) {
  const r = await p;
  if (r.code !== 0 && r.code !== 2) throw new Error(`${what} failed (${r.code}): ${r.stderr}`);
}

/** Start `n` vde_switch daemons and wait until every control socket answers. */
async function vdeSwitches(dir: string, n: number): Promise<number> {
  await Deno.mkdir(dir, { recursive: true });
  const t0 = performance.now();
  const starts = [];
  for (let i = 0; i < n; i++) {
    starts.push(
      new Deno.Command("vde_switch", {
        args: ["-d", "-s", join(dir, `sw${i}`), "-p", join(dir, `sw${i}.pid`), "-n", "16"],
        stdout: "null",
        stderr: "null",
      }).output(),
    );
  }
  await Promise.all(starts);
  for (let i = 0; i < n; i++) {
    const ctl = join(dir, `sw${i}`, "ctl");
    for (;;) {
      try {
        const c = await Deno.connect({ transport: "unix", path: ctl });
        c.close();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  }
  const ms = performance.now() - t0;
  for (let i = 0; i < n; i++) {
    const pid = Number((await Deno.readTextFile(join(dir, `sw${i}.pid`)).catch(() => "0")).trim());
    if (pid > 0) {
      try {
        Deno.kill(pid, "SIGTERM");
      } catch { /* gone */ }
    }
  }
  return ms;
}

function svg(rows: { label: string; ms: number }[]): string {
  const w = 640, bar = 26, gap = 10, left = 250;
  const max = Math.max(...rows.map((r) => r.ms));
  const h = rows.length * (bar + gap) + 40;
  const bars = rows.map((r, i) => {
    const y = 30 + i * (bar + gap);
    const len = Math.max(1, ((w - left - 80) * r.ms) / max);
    return `<text x="${left - 8}" y="${
      y + 18
    }" text-anchor="end" font-size="12">${r.label}</text>` +
      `<rect x="${left}" y="${y}" width="${len.toFixed(1)}" height="${bar}" fill="#4a7ab5"/>` +
      `<text x="${left + len + 6}" y="${y + 18}" font-size="12">${r.ms.toFixed(0)} ms</text>`;
  }).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">\n` +
    `<text x="10" y="18" font-size="14">ipnd control plane (wall time, lower is better)</text>\n${bars}\n</svg>\n`;
}

const w = await World.create();
const results: Record<string, number> = {};
try {
  await w.startDaemon();
  const sizes = quick ? [1, 100] : [1, 100, 1000];
  for (const n of sizes) {
    const f = await w.file(`n${n}.ipn`, config(w.runDir, n, `b${n}-`));
    const apply = await timed(() => must(w.ipnctl("apply", f), `apply ${n}`));
    results[`apply_${n}_ms`] = apply.ms;
    const replan = await timed(() => must(w.ipnctl("plan", "--detailed-exitcode", f), `plan ${n}`));
    results[`replan_${n}_ms`] = replan.ms;
    const empty = await w.file("empty.ipn", "");
    const destroy = await timed(() => must(w.ipnctl("apply", empty), `remove ${n}`));
    results[`remove_${n}_ms`] = destroy.ms;
  }
  // The peer: 100 vde_switch processes, against 100 networks in one apply (measured above).
  results.vde_switch_100_ms = await vdeSwitches(join(w.dir, "vde"), 100);
  results.ratio_apply100_vs_vde_switch100 = results.apply_100_ms / results.vde_switch_100_ms;
  // Fixed cost of any ipnctl command (process start, bootstrap-free): a status call.
  results.ipnctl_status_ms = (await timed(() => must(w.ipnctl("status"), "status"))).ms;
} finally {
  await w.cleanup();
}

const out = { machine: { cpus: navigator.hardwareConcurrency, load: Deno.loadavg() }, results };
console.log(JSON.stringify(out, null, 2));
await Deno.mkdir(join(ROOT, "build/bench"), { recursive: true });
await Deno.writeTextFile(
  join(ROOT, "build/bench/daemon.json"),
  JSON.stringify(out, null, 2) + "\n",
);
const rows = Object.entries(results)
  .filter(([k]) => k.endsWith("_ms"))
  .map(([k, ms]) => ({ label: k.replace(/_ms$/, "").replaceAll("_", " "), ms }));
await Deno.writeTextFile(join(ROOT, "build/bench/daemon.svg"), svg(rows));
