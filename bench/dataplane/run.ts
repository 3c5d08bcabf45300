/**
 * Data-plane benchmark: the ipn engine against vde_switch, vdeplug4's
 * switch:// and hub://, and raw AF_UNIX datagrams (no switch: the floor),
 * with the same clients, side by side in one run.
 *
 *   scripts/deno.sh run --allow-all bench/dataplane/run.ts [--rounds 3] [--seconds 1.5]
 *
 * Measures delivered frames/s and loss for 64 B and 1500 B frames, one
 * sender to one receiver through a switch and one sender to 8 receivers
 * through a hub, and round-trip latency (p50/p99). Every variant runs once
 * per round, rounds interleaved; the median of the rounds is reported.
 * Prints JSON and writes build/bench/dataplane.json and dataplane.svg.
 * Processes are not pinned to CPUs.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { Libipn } from "../../runtime/ffi/mod.ts";
import { chart } from "./chart.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BENCH = `${ROOT}build/bench/ipn-bench`;

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "1.5" },
    pings: { type: "string", default: "20000" },
  },
});
const ROUNDS = Number(opts.rounds);
const SECONDS = Number(opts.seconds);
const PINGS = Number(opts.pings);

/** How the processes reach each other. */
type Variant = "af_unix" | "ipn-vde" | "vde_switch" | "vdeplug4" | "ipn-native";
const VARIANTS: Variant[] = ["af_unix", "ipn-vde", "vde_switch", "vdeplug4", "ipn-native"];
type Topology = "switch" | "hub";

interface Setup {
  /** transport kind and target for the clients */
  kind: "vde" | "unix" | "native";
  target: string;
  stop: () => Promise<void>;
}

interface Proc {
  child: Deno.ChildProcess;
  next: () => Promise<string | undefined>;
}

/** Start a process and read its stdout line by line. */
function spawn(args: string[]): Proc {
  const child = new Deno.Command(args[0], {
    args: args.slice(1),
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const next = async (): Promise<string | undefined> => {
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const l = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return l;
      }
      const r = await reader.read();
      if (r.done) return undefined;
      buf += r.value;
    }
  };
  return { child, next };
}

async function line(p: Proc, what: string): Promise<string> {
  const l = await p.next();
  if (l === undefined) throw new Error(`${what} ended early`);
  return l;
}

async function json(p: Proc, what: string): Promise<Record<string, number>> {
  for (;;) {
    const l = await line(p, what);
    if (l.startsWith("{")) return JSON.parse(l);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await Deno.stat(path);
      return;
    } catch {
      await sleep(25);
    }
  }
  throw new Error(`${path} did not appear`);
}

let lib: Libipn | undefined;

async function setup(v: Variant, topo: Topology, dir: string): Promise<Setup> {
  const path = `${dir}/${v}-${topo}`;
  switch (v) {
    case "af_unix":
      return { kind: "unix", target: path, stop: async () => {} };
    case "ipn-vde":
    case "ipn-native": {
      lib ??= Libipn.load();
      const ctx = await lib.open("user", `${dir}/run`);
      await ctx.netCreate({
        name: `${v}-${topo}`,
        path,
        policy: topo,
        lossless: true,
        persistent: true,
        queue: 1024,
        mode: 0o666,
      });
      return {
        kind: v === "ipn-vde" ? "vde" : "native",
        target: v === "ipn-vde" ? `vde://${path}` : path,
        stop: async () => {
          await ctx.netDestroy(`${v}-${topo}`);
          await ctx.close();
        },
      };
    }
    case "vde_switch": {
      const args = ["-s", path, "-d", "-p", `${path}.pid`, ...(topo === "hub" ? ["-x"] : [])];
      const st = await new Deno.Command("vde_switch", { args, stderr: "null" }).output();
      if (!st.success) throw new Error("vde_switch did not start");
      await waitFor(`${path}/ctl`);
      return {
        kind: "vde",
        target: `vde://${path}`,
        stop: async () => {
          Deno.kill(Number(await Deno.readTextFile(`${path}.pid`)), "SIGTERM");
          await sleep(50);
        },
      };
    }
    case "vdeplug4": {
      const child = new Deno.Command("vde_plug", {
        args: ["null://", `${topo}://${path}`],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      await waitFor(`${path}/ctl`);
      return {
        kind: "vde",
        target: `vde://${path}`,
        stop: async () => {
          child.kill("SIGTERM");
          await child.status;
        },
      };
    }
  }
}

interface Throughput {
  fps: number;
  perReceiverFps: number;
  loss: number;
}

/** One sender, `n` receivers: delivered frames/s over all receivers, and loss. */
async function throughput(s: Setup, size: number, n: number): Promise<Throughput> {
  const rxs: Proc[] = [];
  const peers: string[] = [];
  for (let i = 1; i <= n; i++) {
    const target = s.kind === "unix" ? `${s.target}.rx${i}` : s.target;
    peers.push(target);
    const p = spawn([BENCH, "rx", s.kind, target, String(i)]);
    if ((await line(p, "receiver")) !== "ready") throw new Error("receiver not ready");
    rxs.push(p);
  }
  await sleep(100); // hellos learned
  const dst = n === 1 ? "1" : "255";
  const tx = spawn([
    BENCH,
    "tx",
    s.kind,
    s.target,
    String(size),
    String(SECONDS),
    dst,
    ...(s.kind === "unix" ? peers : []),
  ]);
  const sent = await json(tx, "sender");
  await tx.child.status;
  const got = await Promise.all(rxs.map((r) => json(r, "receiver")));
  await Promise.all(rxs.map((r) => r.child.status));
  const delivered = got.reduce((a, g) => a + g.count, 0);
  const last = Math.max(...got.map((g) => g.last_ns));
  const secs = (last - sent.start_ns) / 1e9;
  return {
    fps: delivered / secs,
    perReceiverFps: delivered / n / secs,
    loss: 1 - delivered / (sent.sent * n),
  };
}

interface Latency {
  p50us: number;
  p99us: number;
  lost: number;
}

async function latency(s: Setup): Promise<Latency> {
  const pongTarget = s.kind === "unix" ? `${s.target}.pong` : s.target;
  const pingTarget = s.kind === "unix" ? `${s.target}.ping` : s.target;
  const pong = spawn([
    BENCH,
    "pong",
    s.kind,
    pongTarget,
    "1",
    ...(s.kind === "unix" ? [`${pingTarget}.ping`] : []),
  ]);
  if ((await line(pong, "pong")) !== "ready") throw new Error("pong not ready");
  await sleep(100);
  const ping = spawn([
    BENCH,
    "ping",
    s.kind,
    pingTarget,
    "64",
    String(PINGS),
    "1",
    ...(s.kind === "unix" ? [pongTarget] : []),
  ]);
  const r = await json(ping, "ping");
  await ping.child.status;
  pong.child.kill("SIGTERM");
  await pong.child.status;
  return { p50us: r.p50_ns / 1000, p99us: r.p99_ns / 1000, lost: r.lost };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function have(cmd: string): Promise<boolean> {
  const o = await new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "null" })
    .output();
  return o.success;
}

async function loadavg(): Promise<string> {
  return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
}

async function main(): Promise<void> {
  const st = await new Deno.Command("make", {
    args: ["-s", "-C", `${ROOT}native/libipn`, "all", "bench"],
  }).output();
  if (!st.success) throw new Error("build failed");
  const variants: Variant[] = [];
  for (const v of VARIANTS) {
    const tool = v === "vde_switch" ? "vde_switch" : v === "vdeplug4" ? "vde_plug" : "";
    if (!tool || await have(tool)) variants.push(v);
    else console.error(`${tool} is not installed: ${v} left out`);
  }
  const dir = await Deno.makeTempDir({ prefix: `ipn-bench-${Deno.pid}-` });
  await Deno.chmod(dir, 0o755);
  const loadBefore = await loadavg();
  const cases: { topo: Topology; n: number; size: number }[] = [
    { topo: "switch", n: 1, size: 64 },
    { topo: "switch", n: 1, size: 1500 },
    { topo: "hub", n: 8, size: 64 },
    { topo: "hub", n: 8, size: 1500 },
  ];
  const raw = new Map<string, Throughput[]>();
  const lat = new Map<string, Latency[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        for (const v of variants) {
          const s = await setup(v, c.topo, dir);
          try {
            const key = `${c.topo}|${c.n}|${c.size}|${v}`;
            const r = await throughput(s, c.size, c.n);
            raw.set(key, [...(raw.get(key) ?? []), r]);
            console.error(
              `round ${round + 1} ${c.topo} 1->${c.n} ${c.size}B ${v}: ${
                Math.round(r.fps)
              } fps, loss ${(r.loss * 100).toFixed(2)}%`,
            );
          } finally {
            await s.stop();
          }
        }
      }
      for (const v of variants) {
        const s = await setup(v, "switch", dir);
        try {
          const r = await latency(s);
          lat.set(v, [...(lat.get(v) ?? []), r]);
          console.error(
            `round ${round + 1} latency ${v}: p50 ${r.p50us.toFixed(1)} us, p99 ${
              r.p99us.toFixed(1)
            } us`,
          );
        } finally {
          await s.stop();
        }
      }
    }
  } finally {
    if (lib) {
      const ctx = await lib.open("user", `${dir}/run`).catch(() => undefined);
      await ctx?.shutdown().catch(() => {});
      await ctx?.close();
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }

  const throughputs = [...raw].map(([key, runs]) => {
    const [topo, n, size, variant] = key.split("|");
    return {
      case: `${topo} 1->${n}`,
      size: Number(size),
      variant,
      fps: Math.round(median(runs.map((r) => r.fps))),
      perReceiverFps: Math.round(median(runs.map((r) => r.perReceiverFps))),
      loss: Number(median(runs.map((r) => r.loss)).toFixed(5)),
      runs: runs.map((r) => Math.round(r.fps)),
    };
  });
  const latencies = [...lat].map(([variant, runs]) => ({
    variant,
    p50us: Number(median(runs.map((r) => r.p50us)).toFixed(1)),
    p99us: Number(median(runs.map((r) => r.p99us)).toFixed(1)),
    lost: runs.reduce((a, r) => a + r.lost, 0),
  }));
  const fps = (c: string, size: number, v: string) =>
    throughputs.find((t) => t.case === c && t.size === size && t.variant === v)?.fps ?? NaN;
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  const ratios: Record<string, number> = {};
  for (const size of [64, 1500]) {
    ratios[`switch ${size}B: ipn-vde / af_unix`] = ratio(
      fps("switch 1->1", size, "ipn-vde"),
      fps("switch 1->1", size, "af_unix"),
    );
    ratios[`switch ${size}B: ipn-native / vde_switch`] = ratio(
      fps("switch 1->1", size, "ipn-native"),
      fps("switch 1->1", size, "vde_switch"),
    );
    ratios[`switch ${size}B: ipn-vde / vde_switch`] = ratio(
      fps("switch 1->1", size, "ipn-vde"),
      fps("switch 1->1", size, "vde_switch"),
    );
    ratios[`hub 1->8 ${size}B: ipn-vde / vde_switch`] = ratio(
      fps("hub 1->8", size, "ipn-vde"),
      fps("hub 1->8", size, "vde_switch"),
    );
    ratios[`hub 1->8 ${size}B: ipn-native / vde_switch`] = ratio(
      fps("hub 1->8", size, "ipn-native"),
      fps("hub 1->8", size, "vde_switch"),
    );
  }
  const report = {
    machine: {
      cpus: navigator.hardwareConcurrency,
      pinning: "none (the scheduler places every process)",
      loadavgBefore: loadBefore,
      loadavgAfter: await loadavg(),
    },
    params: { rounds: ROUNDS, seconds: SECONDS, pings: PINGS, ipnDelivery: "lossless, queue 1024" },
    throughput: throughputs,
    latency: latencies,
    ratios,
  };
  const out = `${ROOT}build/bench`;
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}/dataplane.json`, JSON.stringify(report, null, 2) + "\n");
  await Deno.writeTextFile(`${out}/dataplane.svg`, chart(report));
  console.log(JSON.stringify(report, null, 2));
  console.error(`wrote ${out}/dataplane.json and ${out}/dataplane.svg`);
}

if (import.meta.main) {
  await main();
}
