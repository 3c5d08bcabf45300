/**
 * Language benchmark: parse + check + plan of generated configurations
 * (1k, 10k, 100k statements, and one of about 1 MB), side by side with
 * `nft -c -f` on an nftables ruleset of the same shape and similar size.
 *
 *   scripts/deno.sh run -A bench/dsl/bench.ts [--quick] [--out FILE]
 *
 * Prints JSON: for each size, bytes, statements, resources, our time
 * (median of several runs, in-process, after warm-up) and MB/s, nft's time
 * (median wall time of the process, and the same minus the time nft takes
 * on an empty file, i.e. its work), and the ratio ours / nft's work.
 * `nft -c` needs root (CAP_NET_ADMIN); without it nft's columns are null.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSource } from "../../dsl/mod.ts";
import { memoryFiles } from "../../dsl/files.ts";
import { loadFiles } from "../../dsl/loader.ts";
import { runChecks } from "../../dsl/checks/mod.ts";
import { buildPlan, selectDecls } from "../../dsl/plan.ts";
import { Plan } from "../../dsl/schema.ts";
import { generate } from "./gen.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { values } = parseArgs({
  args: Deno.args,
  options: { quick: { type: "boolean" }, out: { type: "string" } },
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeOurs(text: string, runs: number): { median: number; min: number; resources: number } {
  let resources = 0;
  for (let i = 0; i < 2; i++) parseSource(text, "bench.ipn"); // warm-up: JIT, caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = parseSource(text, "bench.ipn");
    times.push(performance.now() - t0);
    if (!r.plan) throw new Error(`generated config is not valid: ${r.diagnostics[0]?.message}`);
    resources = r.plan.resources.length;
  }
  return { median: median(times), min: Math.min(...times), resources };
}

/** Median time of each stage: parse (lex, parse, AST, variables), check, plan (build + zod). */
function timePhases(text: string, runs: number) {
  const t = {
    parse: [] as number[],
    check: [] as number[],
    plan: [] as number[],
    zod: [] as number[],
  };
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const loaded = loadFiles(memoryFiles({}), "bench.ipn", text);
    t.parse.push(performance.now() - t0);
    t0 = performance.now();
    runChecks(selectDecls(loaded, undefined), []);
    t.check.push(performance.now() - t0);
    t0 = performance.now();
    const built = buildPlan(loaded, { root: "bench.ipn" });
    const whole = performance.now() - t0;
    t0 = performance.now();
    Plan.parse(built.plan);
    const zod = performance.now() - t0;
    // buildPlan runs the checks again, then builds and validates the Plan.
    t.plan.push(Math.max(0, whole - t.check[t.check.length - 1]));
    t.zod.push(zod);
  }
  return {
    parse_ms: +median(t.parse).toFixed(2),
    check_ms: +median(t.check).toFixed(2),
    plan_ms: +median(t.plan).toFixed(2),
    of_which_zod_ms: +median(t.zod).toFixed(2),
  };
}

function nftAvailable(): boolean {
  try {
    const r = new Deno.Command("nft", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync();
    return r.success;
  } catch {
    return false;
  }
}

function timeNft(path: string, runs: number): number | null {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = new Deno.Command("nft", { args: ["-c", "-f", path], stdout: "null", stderr: "piped" })
      .outputSync();
    times.push(performance.now() - t0);
    if (!r.success) {
      console.error(
        `nft -c -f ${path}: ${new TextDecoder().decode(r.stderr).trim().split("\n")[0]}`,
      );
      return null;
    }
  }
  return median(times);
}

const dir = join(ROOT, "build/bench/dsl");
Deno.mkdirSync(dir, { recursive: true });
const sizes: [string, number][] = values.quick
  ? [["1k", 1000], ["10k", 10000]]
  : [["1k", 1000], ["10k", 10000], ["1MB", 0], ["100k", 100000]];
const useNft = nftAvailable();
const empty = join(dir, "empty.nft");
Deno.writeTextFileSync(empty, "");
const nftStart = useNft ? timeNft(empty, 9) : null;

const results = [];
for (const [label, n] of sizes) {
  // The "1MB" point: as many statements as fit in about 1 MB.
  const g = n > 0 ? generate(n) : generate(Math.round(1e6 / (generate(10000).ipn.length / 10000)));
  const ipnPath = join(dir, `${label}.ipn`);
  const nftPath = join(dir, `${label}.nft`);
  Deno.writeTextFileSync(ipnPath, g.ipn);
  Deno.writeTextFileSync(nftPath, g.nft);
  const bytes = new TextEncoder().encode(g.ipn).length;
  const runs = g.statements >= 50000 ? 5 : 9;
  const ours = timeOurs(g.ipn, runs);
  const phases = timePhases(g.ipn, runs);
  const nftWall = useNft ? timeNft(nftPath, runs) : null;
  const nftWork = nftWall !== null && nftStart !== null
    ? Math.max(0.001, nftWall - nftStart)
    : null;
  results.push({
    size: label,
    statements: g.statements,
    resources: ours.resources,
    bytes,
    nft_bytes: g.nft.length,
    nft_items: g.nftItems,
    ours_ms: +ours.median.toFixed(2),
    ours_min_ms: +ours.min.toFixed(2),
    ours_mb_per_s: +(bytes / 1e6 / (ours.median / 1000)).toFixed(2),
    ours_ms_per_mb: +(ours.median / (bytes / 1e6)).toFixed(1),
    ours_phases: phases,
    ours_parse_check_ms_per_mb: +((phases.parse_ms + phases.check_ms) / (bytes / 1e6)).toFixed(1),
    nft_ms: nftWall === null ? null : +nftWall.toFixed(2),
    nft_work_ms: nftWork === null ? null : +nftWork.toFixed(2),
    ratio_ours_over_nft: nftWork === null ? null : +(ours.median / nftWork).toFixed(3),
  });
}

const report = {
  benchmark: "dsl parse+check+plan vs nft -c -f",
  deno: Deno.version.deno,
  nft_startup_ms: nftStart === null ? null : +nftStart.toFixed(2),
  results,
};
const json = JSON.stringify(report, null, 2) + "\n";
const out = values.out ?? join(ROOT, "build/bench/dsl.json");
Deno.mkdirSync(dirname(out), { recursive: true });
Deno.writeTextFileSync(out, json);
console.log(json);
