import { equal, ok } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config } from "./configs.ts";

worldTest("the data plane keeps forwarding while the daemon stops and restarts", async (w) => {
  await w.startDaemon();
  const f = await w.file(
    "r.ipn",
    config(w.runDir, [{ name: "r", taps: [{ name: "rs0", addresses: ["10.83.0.1/24"] }] }]),
  );
  equal((await w.ipnctl("apply", f)).code, 0);
  // A second member: vde_plug turning the network into a tap in the same namespace's
  // neighbour, so traffic must cross the engine.
  const peerNs = `${w.ns}-p`;
  await new Deno.Command("ip", { args: ["netns", "add", peerNs] }).output();
  const plug = new Deno.Command("ip", {
    args: ["netns", "exec", peerNs, "vde_plug", `vde://${w.runDir}/r`, "tap://rp0"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = (await new Deno.Command("ip", { args: ["-n", peerNs, "link", "show", "rp0"] }).output())
        .success;
    }
    ok(up, "vde_plug created its tap");
    await new Deno.Command("ip", {
      args: ["-n", peerNs, "addr", "add", "10.83.0.2/24", "dev", "rp0"],
    }).output();
    await new Deno.Command("ip", { args: ["-n", peerNs, "link", "set", "rp0", "up"] }).output();
    const warm = await w.inNs("ping", "-c", "3", "-W", "2", "10.83.0.2");
    equal(warm.code, 0, warm.stdout);

    const ping = new Deno.Command("ip", {
      args: ["netns", "exec", w.ns, "ping", "-c", "40", "-i", "0.1", "-W", "1", "10.83.0.2"],
      stdout: "piped",
    }).spawn();
    await new Promise((r) => setTimeout(r, 500));
    await w.stopDaemon("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000));
    await w.startDaemon();
    const out = new TextDecoder().decode((await ping.output()).stdout);
    const m = out.match(/(\d+) packets transmitted, (\d+) received/);
    ok(m, out);
    equal(m![2], m![1], `lost pings while the daemon restarted:\n${out}`);
    // The restarted daemon re-discovers the live state: nothing to do.
    equal((await w.ipnctl("plan", "--detailed-exitcode", f)).code, 0);
  } finally {
    plug.kill("SIGTERM");
    await plug.status;
    await new Deno.Command("ip", { args: ["netns", "del", peerNs] }).output();
  }
});
