import { equal, match } from "node:assert/strict";
import { withWorld } from "./harness.ts";

/** Live VXLAN devices and uplink guard tables of the world's namespace. */
async function uplinkTraces(w: Parameters<Parameters<typeof withWorld>[0]>[0]) {
  const links = (await w.links()).filter((l) => l.startsWith("ipnvx"));
  const tables = (await w.inNs("nft", "list", "tables")).stdout.split("\n").filter((t) =>
    t.includes("ipn_uplink_")
  );
  return { links, tables };
}

Deno.test({
  name:
    "uplinks: a failed apply rolls back a created uplink; foreign devices and missing underlays are refused",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withWorld(async (w) => {
      await w.inNs("ip", "link", "add", "ul0", "type", "veth", "peer", "name", "ul1");
      await w.inNs("ip", "addr", "add", "10.218.0.1/24", "dev", "ul0");
      await w.inNs("ip", "link", "set", "ul0", "up");
      await w.inNs("ip", "link", "set", "ul1", "up");
      // Step 0 creates the network, 1 the first uplink; step 2 (the second uplink) fails.
      await w.startDaemon({ IPN_TEST_FAULTS: "fail-op=2" });
      const uplink = (vni: number, extra = "") =>
        `  uplink vxlan {\n    vni ${vni}\n    remote 10.218.0.2\n${extra}  }\n`;
      const net = (body: string) => `network wan {\n  path "${w.runDir}/wan"\n${body}}\n`;

      const f = await w.file("wan.ipn", net(uplink(4400) + uplink(4401)));
      const failed = await w.ipnctl("apply", f);
      equal(failed.code, 1, failed.stdout);
      match(
        failed.stderr,
        /uplink\.ipnvx4401: create failed: injected failure; every completed step was rolled back/,
      );
      match(failed.stderr, /rolled back uplink\.ipnvx4400/);
      equal(
        JSON.stringify(await uplinkTraces(w)),
        JSON.stringify({ links: [], tables: [] }),
        "nothing left behind",
      );

      // A device of the same name that ipn did not create is never taken over.
      await w.inNs("ip", "link", "add", "ipnvx4400", "type", "vxlan", "id", "9", "dstport", "4790");
      const foreign = await w.ipnctl("apply", await w.file("wan.ipn", net(uplink(4400))));
      equal(foreign.code, 1);
      match(foreign.stderr, /interface ipnvx4400 exists and was not created by ipn/);
      const still = await w.inNs("ip", "-d", "link", "show", "ipnvx4400");
      match(still.stdout, /vxlan id 9 /, "the foreign device is untouched");
      await w.inNs("ip", "link", "del", "ipnvx4400");

      // An underlay that does not exist is refused before anything changes.
      const nodev = await w.ipnctl(
        "apply",
        await w.file("wan.ipn", net(uplink(4400, "    dev nope0\n"))),
      );
      equal(nodev.code, 1);
      match(nodev.stderr, /uplink ipnvx4400: the underlay interface nope0 does not exist/);
      equal(
        JSON.parse((await w.ipnctl("status", "--json")).stdout).generation,
        0,
        "no generation was recorded",
      );
      equal(
        JSON.parse((await w.ipnctl("show", "--json")).stdout).networks.length,
        0,
        "the network was rolled back",
      );
      equal(JSON.stringify(await uplinkTraces(w)), JSON.stringify({ links: [], tables: [] }));
    }),
});
