import { equal, match, ok } from "node:assert/strict";
import { worldTest } from "./harness.ts";
import { config } from "./configs.ts";

worldTest("apply, re-plan, update, replace, delete against a real daemon and engine", async (w) => {
  await w.startDaemon();
  const f = await w.file(
    "lab.ipn",
    config(w.runDir, [{ name: "lab", taps: [{ name: "lab0", addresses: ["10.77.0.1/24"] }] }]),
  );

  const a = await w.ipnctl("apply", f);
  equal(a.code, 0, a.stderr);
  match(a.stdout, /Apply complete: generation 1 \(2 created/);
  ok((await w.links()).includes("lab0"), "tap lab0 exists in the namespace");
  const addr = await w.inNs("ip", "-o", "addr", "show", "dev", "lab0");
  match(addr.stdout, /10\.77\.0\.1\/24/);

  const again = await w.ipnctl("plan", "--detailed-exitcode", f);
  equal(again.code, 0, again.stdout + again.stderr);
  match(again.stdout, /No changes/);

  // Update in place: mode and a second address.
  await w.file(
    "lab.ipn",
    config(w.runDir, [{
      name: "lab",
      mode: "0640",
      taps: [{ name: "lab0", addresses: ["10.77.0.1/24", "10.78.0.1/24"] }],
    }]),
  );
  const p = await w.ipnctl("plan", "--detailed-exitcode", f);
  equal(p.code, 2);
  match(p.stdout, /~ access\.mode = 0660 -> 0640/);
  const u = await w.ipnctl("apply", f);
  equal(u.code, 0, u.stderr);
  match(u.stdout, /generation 2 \(0 created, 2 updated/);
  match((await w.inNs("ip", "-o", "addr", "show", "dev", "lab0")).stdout, /10\.78\.0\.1\/24/);

  // Replacement: a new path.
  await w.file(
    "lab.ipn",
    config(w.runDir, [{
      name: "lab",
      path: `${w.runDir}/lab-moved`,
      mode: "0640",
      taps: [{ name: "lab0", addresses: ["10.77.0.1/24"] }],
    }]),
  );
  const rp = await w.ipnctl("plan", f);
  match(rp.stdout, /path changed, forces replacement \(members are disconnected\)/);
  const r = await w.ipnctl("apply", f);
  equal(r.code, 0, r.stderr);
  match(r.stdout, /2 replaced/);
  ok((await w.links()).includes("lab0"));

  // Delete the tap.
  await w.file(
    "lab.ipn",
    config(w.runDir, [{ name: "lab", path: `${w.runDir}/lab-moved`, mode: "0640" }]),
  );
  const d = await w.ipnctl("apply", f);
  equal(d.code, 0, d.stderr);
  match(d.stdout, /1 deleted/);
  ok(!(await w.links()).includes("lab0"), "tap removed");

  const h = await w.ipnctl("history");
  equal(h.code, 0);
  equal(h.stdout.trim().split("\n").length, 5, h.stdout); // header + 4 generations

  const s = await w.ipnctl("status");
  match(s.stdout, /generation: 4/);
  const show = await w.ipnctl("show", "--json");
  equal(JSON.parse(show.stdout).networks[0].name, "lab");
});
