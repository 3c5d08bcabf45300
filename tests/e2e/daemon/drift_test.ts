import { equal, match, ok } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config } from "./configs.ts";

worldTest(
  "a tap deleted behind the daemon's back is drift, named by plan and repaired by apply",
  async (w) => {
    await w.startDaemon();
    const f = await w.file(
      "lab.ipn",
      config(w.runDir, [{
        name: "lab",
        taps: [{ name: "drift0", addresses: ["10.79.0.1/24"] }],
      }]),
    );
    equal((await w.ipnctl("apply", f)).code, 0);
    await w.inNs("ip", "link", "del", "drift0");

    const p = await w.ipnctl("plan", "--detailed-exitcode", f);
    equal(p.code, 2);
    match(p.stdout, /tap\.drift0: tap 'drift0' was removed outside ipn/);
    match(p.stdout, /\+ tap "drift0"/);

    // Also drift on an attribute: an address removed by hand.
    const a = await w.ipnctl("apply", f);
    equal(a.code, 0, a.stderr);
    ok((await w.links()).includes("drift0"));
    await w.inNs("ip", "addr", "flush", "dev", "drift0");
    const p2 = await w.ipnctl("plan", f);
    match(p2.stdout, /changed outside ipn: addresses/);
    equal((await w.ipnctl("apply", f)).code, 0);
    match((await w.inNs("ip", "-o", "addr", "show", "dev", "drift0")).stdout, /10\.79\.0\.1\/24/);
    equal((await w.ipnctl("plan", "--detailed-exitcode", f)).code, 0);
  },
);
