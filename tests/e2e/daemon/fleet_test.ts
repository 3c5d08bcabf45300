import { doesNotMatch, equal, match, ok } from "node:assert/strict";
import { type Fleet, type Host, withFleet } from "./fleet.ts";

/** The two ways an uplink finds its peers, each on its own network. */
const VARIANTS = [
  {
    what: "multicast group",
    net: "lan",
    tap: "lan0",
    subnet: "10.214.0",
    device: "ipnvx4100",
    uplink: "uplink vxlan {\n      vni 4100\n      group 239.1.2.3\n      dev ul0\n    }",
  },
  {
    what: "static peers",
    net: "peers",
    tap: "pr0",
    subnet: "10.215.0",
    device: "ipnvx4200",
    // The same list on every host: each skips its own address.
    uplink: "uplink vxlan {\n      vni 4200\n      remote 10.213.0.1 10.213.0.2 10.213.0.3\n    }",
  },
];

interface FileOptions {
  /** Hosts whose part has no uplinks. */
  without?: string[];
  /** `mtu` of the first network. */
  mtu?: number;
  /** An extra static peer. */
  extraPeer?: string;
}

/** One file for the whole fleet: a host block per host, paths in each host's own run directory. */
function fleetFile(f: Fleet, o: FileOptions = {}): string {
  return f.hosts.map((h, i) => {
    const nets = VARIANTS.map((v, k) => {
      let uplink = o.without?.includes(h.name) ? "" : `    ${v.uplink}\n`;
      if (o.extraPeer && k === 1) {
        uplink = uplink.replace("10.213.0.3", `10.213.0.3 ${o.extraPeer}`);
      }
      const mtu = o.mtu && k === 0 ? `    mtu ${o.mtu}\n` : "";
      return `  network ${v.net} {\n    path "${h.world.runDir}/${v.net}"\n${mtu}` +
        `    tap ${v.tap} {\n      address ${v.subnet}.${i + 1}/24\n    }\n${uplink}  }\n`;
    });
    return `host ${h.name} {\n${nets.join("")}}\n`;
  }).join("\n");
}

function addressOf(f: Fleet, h: Host, v: (typeof VARIANTS)[number]): string {
  return `${v.subnet}.${f.hosts.indexOf(h) + 1}`;
}

/** Whether `from` gets echo replies from `to`'s tap on the variant's network. */
async function reaches(
  f: Fleet,
  from: Host,
  to: Host,
  v: (typeof VARIANTS)[number],
  tries = 3,
): Promise<boolean> {
  const r = await from.world.inNs(
    "ping",
    "-c",
    String(tries),
    "-i",
    "0.2",
    "-W",
    "1",
    addressOf(f, to, v),
  );
  return r.code === 0;
}

/** Check which hosts' taps answer broadcast pings from `from` on the variant's network. */
async function broadcastHeardBy(
  f: Fleet,
  from: Host,
  v: (typeof VARIANTS)[number],
  want: string[],
) {
  const r = await from.world.inNs(
    "ping",
    "-b",
    "-c",
    "3",
    "-i",
    "0.3",
    "-w",
    "3",
    `${v.subnet}.255`,
  );
  const heard = new Set([...r.stdout.matchAll(/bytes from ([\d.]+)/g)].map((m) => m[1]));
  const got = f.hosts.filter((h) => h !== from && heard.has(addressOf(f, h, v))).map((h) => h.name);
  equal(
    got.join(),
    want.join(),
    `${v.what}: ${from.name}'s broadcast should reach ${want.join(" and ")}:\n${r.stdout}`,
  );
}

Deno.test({
  name:
    "three hosts share networks over VXLAN uplinks (multicast group and static peers) from one file",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withFleet(["a", "b", "c"], { underlayMtu: 1600 }, async (f) => {
      const [a, b, c] = f.hosts;
      await f.startDaemons();
      for (const h of f.hosts) {
        // Let taps answer broadcast pings (per namespace).
        await h.world.inNs("sysctl", "-qw", "net.ipv4.icmp_echo_ignore_broadcasts=0");
      }
      match((await a.world.ipnctl("status")).stdout, /ipnd: running for host a /);
      const file = await a.world.file("fleet.ipn", fleetFile(f));

      // Each daemon applies its own part of the one file.
      for (const [name, r] of await f.ipnctlAll("apply", file)) {
        equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
        match(r.stdout, /generation 1 \(6 created/, name);
        doesNotMatch(r.stderr, /warning/, name);
      }
      for (const v of VARIANTS) {
        ok(await reaches(f, a, b, v), `${v.what}: a reaches b`);
        ok(await reaches(f, a, c, v), `${v.what}: a reaches c`);
        await broadcastHeardBy(f, a, v, ["b", "c"]);
        // The host's own stack stays off the uplink: it learned no neighbours there.
        for (const h of f.hosts) {
          equal(
            (await h.world.inNs("ip", "neigh", "show", "dev", v.device)).stdout,
            "",
            `${h.name} ${v.device}`,
          );
        }
      }

      match((await a.world.ipnctl("show")).stdout, /port \d+ +uplink +ipnvx4100/);

      // Another host's part: refused by this daemon, previewed by plan.
      const wrong = await a.world.ipnctl("apply", "--host", "b", file);
      equal(wrong.code, 1);
      match(wrong.stderr, /this ipnd manages host a; the plan is for b/);
      const preview = await a.world.ipnctl("plan", "--host", "c", file);
      equal(preview.code, 0, preview.stderr);
      match(
        preview.stderr,
        /note: this machine's ipnd manages host a; host c's part is shown against an empty live system/,
      );
      match(preview.stdout, /\+ uplink "ipnvx4200"/);
      match(preview.stdout, /10\.215\.0\.3\/24/);

      // Removing c's uplinks (the same file for everyone) isolates c only.
      await a.world.file("fleet.ipn", fleetFile(f, { without: ["c"] }));
      const cut = await f.ipnctlAll("apply", file);
      match(cut.get("a")!.stdout, /No changes/);
      match(cut.get("b")!.stdout, /No changes/);
      match(cut.get("c")!.stdout, /2 deleted/, cut.get("c")!.stderr);
      ok(!(await c.world.links()).some((l) => l.startsWith("ipnvx")), "c's VXLAN devices are gone");
      doesNotMatch(
        (await c.world.inNs("nft", "list", "tables")).stdout,
        /ipn_uplink_/,
        "and their guards",
      );
      for (const v of VARIANTS) {
        await broadcastHeardBy(f, a, v, ["b"]);
        ok(!(await reaches(f, a, c, v, 1)), `${v.what}: c is isolated`);
      }

      // Re-applying the first file restores c.
      await a.world.file("fleet.ipn", fleetFile(f));
      const back = await c.world.ipnctl("apply", file);
      equal(back.code, 0, back.stderr);
      for (const v of VARIANTS) ok(await reaches(f, a, c, v), `${v.what}: c is back`);

      // Rollback covers uplinks: c's previous generation had none.
      const rb = await c.world.ipnctl("rollback");
      equal(rb.code, 0, rb.stderr);
      ok(
        !(await c.world.links()).some((l) => l.startsWith("ipnvx")),
        "rollback removed c's uplinks",
      );
      ok(!(await reaches(f, a, c, VARIANTS[1], 1)), "c is isolated again after the rollback");

      // Drift: b's VXLAN devices deleted by hand are named by plan and repaired by apply.
      for (const v of VARIANTS) await b.world.inNs("ip", "link", "del", v.device);
      const drift = await b.world.ipnctl("plan", "--detailed-exitcode", file);
      equal(drift.code, 2, drift.stdout + drift.stderr);
      for (const v of VARIANTS) {
        match(
          drift.stdout,
          new RegExp(`uplink\\.${v.device}: uplink '${v.device}' was removed outside ipn`),
        );
      }
      equal((await b.world.ipnctl("apply", file)).code, 0);
      for (const v of VARIANTS) ok(await reaches(f, a, b, v), `${v.what}: b repaired`);
      equal((await b.world.ipnctl("plan", "--detailed-exitcode", file)).code, 0);

      // A new static peer is added in place: the device (and its traffic) stays.
      const before =
        (await a.world.inNs("cat", `/sys/class/net/${VARIANTS[1].device}/ifindex`)).stdout;
      await a.world.file("fleet.ipn", fleetFile(f, { extraPeer: "10.213.0.9" }));
      const grow = await a.world.ipnctl("apply", file);
      equal(grow.code, 0, grow.stderr);
      match(
        grow.stdout,
        /~ remote += \["10\.213\.0\.1", "10\.213\.0\.2", "10\.213\.0\.3"\] -> \[.*"10\.213\.0\.9"\]/,
      );
      doesNotMatch(grow.stdout, /forces replacement/);
      equal(
        (await a.world.inNs("cat", `/sys/class/net/${VARIANTS[1].device}/ifindex`)).stdout,
        before,
      );
      match(
        (await a.world.inNs("bridge", "fdb", "show", "dev", VARIANTS[1].device)).stdout,
        /dst 10\.213\.0\.9/,
      );

      // Frames that do not fit the underlay: the plan says so and what to do.
      await a.world.file("fleet.ipn", fleetFile(f, { mtu: 1700 }));
      const big = await a.world.ipnctl("plan", file);
      equal(big.code, 0, big.stderr);
      match(
        big.stderr,
        /warning: .*uplink ipnvx4100 of network lan: frames of up to 1700 bytes .* underlay ul0, whose MTU is 1600/,
      );
      match(big.stderr, /Raise ul0's MTU to 1736 or more, or lower the network's mtu to 1564/);
    }),
});
