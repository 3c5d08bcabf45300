/**
 * Timing for the language benchmark: wall and CPU time of a call in this
 * process, CPU time of a child process (nft), statistics, and the state of
 * the machine while measuring.
 *
 * Wall time says what a user waits; CPU time (this process's, every thread,
 * so the garbage collector's helpers count) is the work done, and moves
 * less when other processes compete for the cores.
 *
 * @module
 */
import process from "node:process";

/** One timed run. */
export interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** Time `f` once. */
export function timeCall<T>(f: () => T): { sample: Sample; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { sample: { wallMs, cpuMs: (c.user + c.system) / 1000 }, value };
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median and minimum of wall and CPU times, rounded to 0.01 ms. */
export function summarize(samples: Sample[]) {
  const r = (x: number) => +x.toFixed(2);
  const wall = samples.map((s) => s.wallMs);
  const cpu = samples.map((s) => s.cpuMs);
  return {
    wall_ms: r(median(wall)),
    wall_min_ms: r(Math.min(...wall)),
    cpu_ms: r(median(cpu)),
    cpu_min_ms: r(Math.min(...cpu)),
  };
}

/**
 * Run `nft -c -f path` once: its wall time, and its CPU time (user and
 * system, as the shell that waited for it reports; nft's own checks in the
 * kernel count as its system time). Null when nft fails.
 */
export function timeNft(path: string): Sample | { error: string } {
  // `times` prints the shell's CPU time, then its children's: nft's.
  const script =
    'err=$(nft -c -f "$1" 2>&1 >/dev/null); s=$?; times; printf %s "$err" >&2; exit $s';
  const t0 = performance.now();
  const r = new Deno.Command("bash", { args: ["-c", script, "nft", path], stderr: "piped" })
    .outputSync();
  const wallMs = performance.now() - t0;
  if (!r.success) return { error: new TextDecoder().decode(r.stderr).trim().split("\n")[0] };
  const lines = new TextDecoder().decode(r.stdout).trim().split("\n");
  const cpuMs = lines[1].split(/\s+/).map(seconds).reduce((a, b) => a + b, 0);
  return { wallMs, cpuMs };
}

/** `0m0.068s` in ms. */
function seconds(s: string): number {
  const m = /^(\d+)m([\d.]+)s$/.exec(s);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN;
}

/** True when `nft` runs here. */
export function nftVersion(): string | null {
  try {
    const r = new Deno.Command("nft", { args: ["--version"], stderr: "null" }).outputSync();
    return r.success ? new TextDecoder().decode(r.stdout).trim() : null;
  } catch {
    return null;
  }
}

/** What the machine is. */
export function machine() {
  let model = "unknown";
  try {
    model = /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? model;
  } catch {
    // Not Linux: leave it unknown.
  }
  return { cpus: navigator.hardwareConcurrency, cpu_model: model };
}
