import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { sh, worldTest } from "./harness.ts";

// The world's namespace W holds rin (where multicast arrives, from the
// sender namespace S) and rto (10.9.0.1, the rewrite's target).
async function topology(ns: string, sender: string) {
  await sh("ip", "netns", "add", sender);
  await sh(
    "ip",
    "-n",
    sender,
    "link",
    "add",
    "s0",
    "type",
    "veth",
    "peer",
    "name",
    "rin",
    "netns",
    ns,
  );
  await sh("ip", "-n", ns, "link", "add", "rto", "type", "veth", "peer", "name", "rtop");
  await sh("ip", "-n", sender, "addr", "add", "10.8.0.2/24", "dev", "s0");
  await sh("ip", "-n", sender, "link", "set", "s0", "up");
  await sh("ip", "-n", sender, "route", "add", "224.0.0.0/4", "dev", "s0");
  await sh("ip", "-n", ns, "addr", "add", "10.8.0.1/24", "dev", "rin");
  await sh("ip", "-n", ns, "addr", "add", "10.9.0.1/24", "dev", "rto");
  for (const i of ["rin", "rto", "rtop"]) await sh("ip", "-n", ns, "link", "set", i, "up");
}

/** Send one multicast datagram from S and report what a plain server on 10.9.0.1 got. */
async function deliver(ns: string, sender: string, text: string): Promise<string> {
  const server = new Deno.Command("ip", {
    args: ["netns", "exec", ns, "timeout", "3", "nc", "-u", "-l", "-W", "1", "10.9.0.1", "10000"],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 0; i < 3; i++) {
    // bash's /dev/udp: one plain sendto to the group, no helper program needed.
    await new Deno.Command("ip", {
      args: ["netns", "exec", sender, "bash", "-c", `echo ${text} > /dev/udp/239.1.2.3/10000`],
      stdout: "null",
      stderr: "null",
    }).output();
    await new Promise((r) => setTimeout(r, 100));
  }
  return new TextDecoder().decode((await server.output()).stdout);
}

function config(run: string, rewrite: boolean, device = "rto"): string {
  return `network pol {
  path "${run}/pol"
  policy hub
}
${
    rewrite
      ? `rewrite cam {
  from rin
  match udp dst 239.0.0.0/8 port 10000
  to unicast rto
}
`
      : ""
  }bind testers {
  when device ${device}
  except tcp port 6000-6063
}
endpoint db {
  inet 10.9.0.1 port 5432
  ipn network pol
}
`;
}

worldTest(
  "rewrite, bind and endpoint through ipnctl apply: programmed, delivered, drift repaired, removed",
  async (w) => {
    const sender = `${w.ns}-s`;
    try {
      await topology(w.ns, sender);
      await w.startDaemon();
      const f = await w.file("pol.ipn", config(w.runDir, true));

      const p = await w.ipnctl("plan", f);
      equal(p.code, 0, p.stderr);
      match(
        p.stdout,
        /\+ rule += ".*ip daddr set 10\.9\.0\.1.*comment \\"rewrite cam\\""/,
        "the plan shows the rule",
      );
      const a = await w.ipnctl("apply", f);
      equal(a.code, 0, a.stderr);
      match(a.stdout, /4 created/);

      // Programmed, and real multicast arrives as unicast at a plain server.
      match(
        (await w.inNs("nft", "list", "table", "netdev", "ipn_rewrite")).stdout,
        /comment "managed by ipn"/,
      );
      match(await deliver(w.ns, sender, "hello-rewrite"), /hello-rewrite/);

      // Published for unprivileged readers.
      const policy = await Deno.readTextFile(join(w.runDir, "bind", "testers.policy"));
      match(policy, /device rto/);
      equal((await Deno.stat(join(w.runDir, "bind", "testers.policy"))).mode! & 0o777, 0o644);
      const table = JSON.parse(await Deno.readTextFile(join(w.runDir, "endpoints.json")));
      equal(table.endpoints.db[0].address, "10.9.0.1");
      equal((await w.ipnctl("plan", "--detailed-exitcode", f)).code, 0);

      // Drift: the table deleted by hand, a policy file edited by hand.
      await w.inNs("nft", "delete", "table", "netdev", "ipn_rewrite");
      await Deno.writeTextFile(
        join(w.runDir, "bind", "testers.policy"),
        "name testers\ndevice lo\n",
      );
      const d = await w.ipnctl("plan", "--detailed-exitcode", f);
      equal(d.code, 2);
      match(d.stdout, /rewrite\.cam: rewrite 'cam' was removed outside ipn/);
      match(d.stdout, /bind\.testers: changed outside ipn: policy/);
      equal((await w.ipnctl("apply", f)).code, 0);
      match(await deliver(w.ns, sender, "after-repair"), /after-repair/);
      equal((await w.ipnctl("plan", "--detailed-exitcode", f)).code, 0);

      // Bad input is refused before anything changes.
      const bad = await w.file("bad.ipn", config(w.runDir, true, "nosuch0"));
      const b = await w.ipnctl("apply", bad);
      equal(b.code, 1);
      match(b.stderr, /bind testers: device nosuch0 does not exist/);
      equal(JSON.parse((await w.ipnctl("status", "--json")).stdout).generation, 2);

      // Removing the rewrite removes the table, and delivery stops.
      const f2 = await w.file("pol2.ipn", config(w.runDir, false));
      equal((await w.ipnctl("apply", f2)).code, 0);
      equal((await w.inNs("nft", "list", "table", "netdev", "ipn_rewrite")).code, 1, "table gone");
      equal(await deliver(w.ns, sender, "not-any-more"), "");
      ok(true);
    } finally {
      await new Deno.Command("ip", { args: ["netns", "del", sender] }).output();
    }
  },
);
