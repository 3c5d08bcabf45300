/**
 * Language benchmark: parse + check + plan of generated configurations
 * (1k, 10k, 100k statements, and one of about 1 MB), side by side with
 * `nft -c -f` on an nftables ruleset of the same shape and similar size.
 *
 *   scripts/deno.sh run -A bench/dsl/bench.ts [--quick] [--out FILE]
 *
 * Prints JSON (see README.md): for each size our in-process time (wall and
 * CPU, median and minimum over several runs after warm-up), the time of each
 * phase, nft's time on the equivalent ruleset measured in the same loop (one
 * run of each in turn, so both see the same machine), and ratios. `nft -c`
 * needs root (CAP_NET_ADMIN); without it nft's columns are null.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSource } from "../../dsl/mod.ts";
import { generate } from "./gen.ts";
import {
  machine,
  median,
  nftVersion,
  type Sample,
  summarize,
  timeCall,
  timeNft,
} from "./measure.ts";
import { timePhases } from "./phases.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { values } = parseArgs({
  args: Deno.args,
  options: { quick: { type: "boolean" }, out: { type: "string" } },
});

const r2 = (x: number) => +x.toFixed(2);

/** nft's samples, or null (with the reason on stderr) when it cannot run. */
function nftRun(path: string): Sample | null {
  const s = timeNft(path);
  if ("error" in s) {
    console.error(`nft -c -f ${path}: ${s.error}`);
    return null;
  }
  return s;
}

const FRESH = ["run", "--quiet", "-A", join(ROOT, "bench/dsl/fresh.ts")];

/** Median wall time of a whole fresh process that loads the language and checks an empty file. */
function startup(runs: number): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = new Deno.Command(Deno.execPath(), { args: FRESH, stdout: "null" }).outputSync();
    t.push(performance.now() - t0);
    if (!r.success) throw new Error("bench/dsl/fresh.ts failed");
  }
  return r2(median(t));
}

/** The first parse of `path` in a fresh process, `runs` times. */
function cold(path: string, runs: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const r = new Deno.Command(Deno.execPath(), { args: [...FRESH, path] }).outputSync();
    if (!r.success) throw new Error(`bench/dsl/fresh.ts ${path} failed`);
    out.push(JSON.parse(new TextDecoder().decode(r.stdout)));
  }
  return out;
}

const dir = join(ROOT, "build/bench/dsl");
Deno.mkdirSync(dir, { recursive: true });
const sizes: [string, number][] = values.quick
  ? [["1k", 1000], ["10k", 10000]]
  : [["1k", 1000], ["10k", 10000], ["1MB", 0], ["100k", 100000]];
const nft = nftVersion();
const loadBefore = Deno.loadavg();

const empty = join(dir, "empty.nft");
Deno.writeTextFileSync(empty, "");
let nftStart: Sample[] | null = nft ? [] : null;
for (let i = 0; nftStart && i < 9; i++) {
  const s = nftRun(empty);
  if (s) nftStart.push(s);
  else nftStart = null;
}
const nftStartup = nftStart && summarize(nftStart);
const oursStartup = startup(5);

const results = [];
for (const [label, n] of sizes) {
  // The "1MB" point: as many statements as fit in about 1 MB.
  const g = n > 0 ? generate(n) : generate(Math.round(1e6 / (generate(10000).ipn.length / 10000)));
  const file = `${label}.ipn`;
  const nftPath = join(dir, `${label}.nft`);
  Deno.writeTextFileSync(join(dir, file), g.ipn);
  Deno.writeTextFileSync(nftPath, g.nft);
  const bytes = new TextEncoder().encode(g.ipn).length;
  const runs = g.statements >= 50000 ? 5 : g.statements >= 20000 ? 7 : 9;

  let resources = 0;
  for (let i = 0; i < 2; i++) parseSource(g.ipn, file); // warm-up: JIT, caches
  const ours: Sample[] = [];
  let theirs: Sample[] | null = nft && nftStartup ? [] : null;
  for (let i = 0; i < runs; i++) {
    const { sample, value } = timeCall(() => parseSource(g.ipn, file));
    if (!value.plan) {
      throw new Error(`generated config is not valid: ${value.diagnostics[0]?.message}`);
    }
    resources = value.plan.resources.length;
    ours.push(sample);
    if (theirs) {
      const s = nftRun(nftPath);
      if (s) theirs.push(s);
      else theirs = null;
    }
  }
  const o = summarize(ours);
  const c = summarize(cold(join(dir, file), g.statements >= 50000 ? 3 : 5));
  const phases = timePhases(g.ipn, file, runs);
  const parseCheck = phases.parse_check_ms;
  const t = theirs && summarize(theirs);
  const nftWork = t && nftStartup ? Math.max(0.001, t.wall_ms - nftStartup.wall_ms) : null;
  const nftCpuWork = t && nftStartup ? Math.max(0.001, t.cpu_ms - nftStartup.cpu_ms) : null;
  results.push({
    size: label,
    statements: g.statements,
    resources,
    bytes,
    nft_bytes: g.nft.length,
    nft_items: g.nftItems,
    runs,
    ours_ms: o.wall_ms,
    ours_min_ms: o.wall_min_ms,
    ours_cpu_ms: o.cpu_ms,
    ours_cpu_min_ms: o.cpu_min_ms,
    ours_cold_ms: c.wall_ms,
    ours_cold_cpu_ms: c.cpu_ms,
    ours_mb_per_s: r2(bytes / 1e6 / (o.wall_ms / 1000)),
    ours_ms_per_mb: +(o.wall_ms / (bytes / 1e6)).toFixed(1),
    ours_phases: phases,
    ours_parse_check_ms: parseCheck,
    ours_parse_check_ms_per_mb: +(parseCheck / (bytes / 1e6)).toFixed(1),
    nft_ms: t && t.wall_ms,
    nft_min_ms: t && t.wall_min_ms,
    nft_cpu_ms: t && t.cpu_ms,
    nft_work_ms: nftWork === null ? null : r2(nftWork),
    nft_cpu_work_ms: nftCpuWork === null ? null : r2(nftCpuWork),
    ratio_ours_over_nft: nftWork === null ? null : +(o.wall_ms / nftWork).toFixed(3),
    ratio_cpu_ours_over_nft: nftCpuWork === null ? null : +(o.cpu_ms / nftCpuWork).toFixed(3),
    ratio_cold_ours_over_nft: nftWork === null ? null : +(c.wall_ms / nftWork).toFixed(3),
  });
}

const report = {
  benchmark: "dsl parse+check+plan vs nft -c -f",
  deno: Deno.version.deno,
  nft: nft,
  // Load averages (1, 5, 15 min) around the run: other work competing for the cores.
  machine: { ...machine(), loadavg_before: loadBefore, loadavg_after: Deno.loadavg() },
  ours_startup_ms: oursStartup,
  nft_startup_ms: nftStartup && nftStartup.wall_ms,
  nft_startup_cpu_ms: nftStartup && nftStartup.cpu_ms,
  results,
};
const json = JSON.stringify(report, null, 2) + "\n";
const out = values.out ?? join(ROOT, "build/bench/dsl.json");
Deno.mkdirSync(dirname(out), { recursive: true });
Deno.writeTextFileSync(out, json);
console.log(json);
