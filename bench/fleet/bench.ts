/**
 * Tap to tap across a VXLAN uplink, against the same two hosts' underlay, in
 * one run. Two hosts are network namespaces on a veth underlay bridged in a
 * third namespace; each runs its own ipnd (user engine) and applies one
 * fleet file: a network with a tap and an uplink per host. Measured between
 * the same two namespaces:
 *
 * - `uplink`: tap a -> engine a -> VXLAN -> underlay -> VXLAN -> engine b -> tap b
 * - `underlay`: the veth underlay addresses, through the bridge namespace
 * - `kernel_vxlan`: a plain kernel VXLAN device with an address on each host,
 *   same underlay: what VXLAN itself costs, without the engine
 *
 * TCP throughput with iperf3 (median of runs), ICMP echo latency with ping
 * (p50/p99 of many echoes). Prints one JSON document.
 *
 *   scripts/deno.sh run -A bench/fleet/bench.ts [--seconds 5] [--runs 3] [--pings 200]
 *     [--setting "queue 1024"] [--out FILE]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type Fleet, withFleet } from "../../tests/e2e/daemon/fleet.ts";

const { values: opt } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    runs: { type: "string", default: "3" },
    pings: { type: "string", default: "200" },
    setting: { type: "string" },
    out: { type: "string" },
  },
});
const SECONDS = Number(opt.seconds);
const RUNS = Number(opt.runs);
const PINGS = Number(opt.pings);
/** The underlay carries a 1500-byte tap MTU over VXLAN exactly (1500 + 50 - 14 + 14). */
const UNDERLAY_MTU = 1550;
/** An extra line for the network block, e.g. `queue 1024` or `lossless`. */
const SETTING = opt.setting ? `    ${opt.setting}\n` : "";

interface Flow {
  name: "uplink" | "underlay" | "kernel_vxlan";
  /** Client side address (host a) and server side address (host b). */
  from: string;
  to: string;
}

const FLOWS: Flow[] = [
  { name: "uplink", from: "10.216.0.1", to: "10.216.0.2" },
  { name: "underlay", from: "10.213.0.1", to: "10.213.0.2" },
  { name: "kernel_vxlan", from: "10.217.0.1", to: "10.217.0.2" },
];

function fleetFile(f: Fleet): string {
  return f.hosts.map((h, i) =>
    `host ${h.name} {\n  network bench {\n    path "${h.world.runDir}/bench"\n    policy switch\n${SETTING}` +
    `    tap bn0 {\n      address 10.216.0.${i + 1}/24\n    }\n` +
    `    uplink vxlan {\n      vni 4300\n      remote 10.213.0.1 10.213.0.2\n      dev ul0\n    }\n  }\n}\n`
  ).join("\n");
}

async function run(args: string[], check = true): Promise<string> {
  const o = await new Deno.Command(args[0], {
    args: args.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(o.stdout);
  if (check && !o.success) {
    throw new Error(`${args.join(" ")} failed: ${new TextDecoder().decode(o.stderr)}${text}`);
  }
  return text;
}

const inNs = (ns: string, ...args: string[]) => run(["ip", "netns", "exec", ns, ...args]);

/** The kernel-only comparison: a VXLAN device with an address on each host, no engine. */
async function kernelVxlan(f: Fleet): Promise<void> {
  for (const [i, h] of f.hosts.entries()) {
    const ns = h.world.ns;
    await run([
      "ip",
      "-n",
      ns,
      "link",
      "add",
      "kvx0",
      "type",
      "vxlan",
      "id",
      "4301",
      "dstport",
      "4789",
      "dev",
      h.dev,
    ]);
    for (const other of f.hosts) {
      if (other !== h) {
        await run([
          "bridge",
          "-n",
          ns,
          "fdb",
          "append",
          "00:00:00:00:00:00",
          "dev",
          "kvx0",
          "dst",
          other.address,
        ]);
      }
    }
    await run(["ip", "-n", ns, "addr", "add", `10.217.0.${i + 1}/24`, "dev", "kvx0"]);
    await run(["ip", "-n", ns, "link", "set", "kvx0", "up"]);
  }
}

/** Median iperf3 TCP throughput (Mbit/s) and retransmits from `a` to `b`. */
async function throughput(a: string, b: string, flow: Flow) {
  const rates: number[] = [];
  let retransmits = 0;
  for (let r = 0; r < RUNS; r++) {
    const server = new Deno.Command("ip", {
      args: ["netns", "exec", b, "iperf3", "-s", "-1", "-B", flow.to],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      let out = "";
      for (let attempt = 0; attempt < 50 && !out; attempt++) {
        await new Promise((res) => setTimeout(res, 100));
        out = await inNs(a, "iperf3", "-c", flow.to, "-B", flow.from, "-t", String(SECONDS), "-J")
          .catch(() => "");
      }
      if (!out) throw new Error(`iperf3 to ${flow.to} (${flow.name}) never connected`);
      const j = JSON.parse(out);
      rates.push(j.end.sum_received.bits_per_second / 1e6);
      retransmits += j.end.sum_sent.retransmits ?? 0;
    } finally {
      await server.status;
    }
  }
  rates.sort((x, y) => x - y);
  return {
    mbps: round(rates[Math.floor(rates.length / 2)]),
    runs_mbps: rates.map((x) => round(x)),
    retransmits,
  };
}

/** p50/p99 round-trip time (ms) of PINGS echoes, 10 ms apart. */
async function latency(a: string, flow: Flow) {
  const out = await inNs(
    a,
    "ping",
    "-n",
    "-c",
    String(PINGS),
    "-i",
    "0.01",
    "-W",
    "1",
    "-I",
    flow.from,
    flow.to,
  );
  const rtts = [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1])).sort((x, y) =>
    x - y
  );
  const at = (q: number) => rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))];
  return {
    p50_ms: round(at(0.5), 3),
    p99_ms: round(at(0.99), 3),
    replies: rtts.length,
    sent: PINGS,
  };
}

function round(x: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

const ratio = (x: number, y: number) => round(x / y, 3);

let result: unknown;
await withFleet(["a", "b"], { underlayMtu: UNDERLAY_MTU }, async (f) => {
  const [a, b] = f.hosts;
  await f.startDaemons();
  const file = await a.world.file("bench.ipn", fleetFile(f));
  for (const [name, r] of await f.ipnctlAll("apply", file)) {
    if (r.code !== 0) throw new Error(`apply on ${name} failed: ${r.stderr}`);
  }
  await kernelVxlan(f);
  // Warm up every path (ARP, switch learning, VXLAN fdb learning).
  for (const flow of FLOWS) {
    await inNs(a.world.ns, "ping", "-c", "3", "-i", "0.2", "-W", "2", flow.to);
  }

  const tput: Record<string, Awaited<ReturnType<typeof throughput>>> = {};
  const lat: Record<string, Awaited<ReturnType<typeof latency>>> = {};
  for (const flow of FLOWS) {
    tput[flow.name] = await throughput(a.world.ns, b.world.ns, flow);
    lat[flow.name] = await latency(a.world.ns, flow);
  }
  // Where the uplink flows lost frames: the engine's drops (non-zero reasons) and
  // the kernel's drops at the engine's packet socket on the VXLAN device.
  const drops: Record<string, unknown> = {};
  for (const h of f.hosts) {
    const show = JSON.parse((await h.world.ipnctl("show", "--json")).stdout);
    const byReason = show.networks.find((n: { name: string }) =>
      n.name === "bench"
    )?.stats.dropsByReason ?? {};
    const ss = await inNs(h.world.ns, "ss", "-0", "-m", "-n");
    drops[h.name] = {
      engine: Object.fromEntries(Object.entries(byReason).filter(([, n]) => n !== 0)),
      packet_socket: [...ss.matchAll(/\bd(\d+)\)/g)].reduce((sum, m) => sum + Number(m[1]), 0),
    };
  }
  result = {
    bench: "fleet",
    what:
      "TCP throughput and ICMP echo latency between two hosts (network namespaces): tap to tap " +
      "across an ipn VXLAN uplink (user engine on both hosts) against the same hosts' veth underlay " +
      "and a kernel VXLAN device on that underlay, in one run",
    setup: {
      underlay_mtu: UNDERLAY_MTU,
      tap_mtu: 1500,
      seconds_per_run: SECONDS,
      runs: RUNS,
      pings: PINGS,
      network_setting: opt.setting ?? null,
      kernel: (await run(["uname", "-r"])).trim(),
      cpus: navigator.hardwareConcurrency,
    },
    throughput: tput,
    latency: lat,
    uplink_drops: drops,
    ratios: {
      throughput_uplink_over_underlay: ratio(tput.uplink.mbps, tput.underlay.mbps),
      throughput_uplink_over_kernel_vxlan: ratio(tput.uplink.mbps, tput.kernel_vxlan.mbps),
      p50_latency_uplink_over_underlay: ratio(lat.uplink.p50_ms, lat.underlay.p50_ms),
      p99_latency_uplink_over_underlay: ratio(lat.uplink.p99_ms, lat.underlay.p99_ms),
      p50_latency_uplink_over_kernel_vxlan: ratio(lat.uplink.p50_ms, lat.kernel_vxlan.p50_ms),
    },
  };
});
const text = JSON.stringify(result, null, 2) + "\n";
if (opt.out) await Deno.writeTextFile(opt.out, text);
console.log(text.trimEnd());
