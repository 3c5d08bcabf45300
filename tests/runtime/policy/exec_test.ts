import assert from "node:assert/strict";
import type { Bind } from "../../../dsl/schema.ts";
import { bindLibrary, execWithPolicy, prepareExec } from "../../../runtime/policy/exec.ts";
import { publishBindPolicies } from "../../../runtime/policy/bind.ts";
import { PolicyError } from "../../../runtime/policy/ffi.ts";

// "lo" exists in every network namespace; "ipnnosuch0" in none.
const binds: Bind[] = [
  { kind: "bind", name: "fixed", device: "lo", except: [{ kind: "unix" }] },
  { kind: "bind", name: "by-env", env: "MYDEV", except: [] },
  { kind: "bind", name: "gone", device: "ipnnosuch0", except: [] },
];
const cmd = ["true"];

function refused(f: () => unknown, re: RegExp) {
  assert.throws(f, (e) => e instanceof PolicyError && re.test(e.message));
}

Deno.test("exec prepares the preload library and the resolved policy", () => {
  const p = prepareExec({
    policy: "fixed",
    binds,
    command: ["prog", "a b"],
    env: { PATH: "/bin" },
  });
  assert.equal(p.command, "prog");
  assert.deepEqual(p.args, ["a b"]);
  assert.equal(p.device, "lo");
  assert.equal(p.env.LD_PRELOAD, bindLibrary());
  assert.equal(p.env.IPN_BIND_POLICY, "name fixed\nexcept unix\ndevice lo\n");
  assert.equal(p.env.PATH, "/bin");
  const q = prepareExec({
    policy: "by-env",
    binds,
    command: cmd,
    env: { MYDEV: "lo", LD_PRELOAD: "/x.so" },
  });
  assert.equal(q.device, "lo");
  assert.equal(q.env.LD_PRELOAD, `${bindLibrary()}:/x.so`);
});

Deno.test("exec refuses, before starting anything, what cannot work", () => {
  refused(
    () => prepareExec({ policy: "gone", binds, command: cmd }),
    /device ipnnosuch0 does not exist \(bind policy 'gone'\); nothing was started/,
  );
  refused(
    () => prepareExec({ policy: "fixed", device: "ipnnosuch1", binds, command: cmd }),
    /device ipnnosuch1 does not exist/,
  );
  refused(
    () => prepareExec({ policy: "by-env", binds, command: cmd, env: {} }),
    /names no device: give --device DEV or set MYDEV/,
  );
  refused(
    () => prepareExec({ policy: "nope", binds, command: cmd }),
    /no bind policy 'nope' in the plan \(known: by-env, fixed, gone\)/,
  );
  refused(() => prepareExec({ policy: "fixed", binds, command: [] }), /no command to run/);
  const dir = Deno.makeTempDirSync({ prefix: "ipn-exec-test-" });
  try {
    refused(
      () => prepareExec({ policy: "fixed", rundir: dir, command: cmd }),
      /no bind policy 'fixed' published in .*\/bind \(known: none; is it applied\?\)/,
    );
    publishBindPolicies(dir, binds);
    assert.equal(prepareExec({ policy: "fixed", rundir: dir, command: cmd }).device, "lo");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("exec runs the command under the policy and returns its exit code", async () => {
  const out = await Deno.makeTempFile({ prefix: "ipn-exec-out-" });
  try {
    const code = await execWithPolicy({
      policy: "fixed",
      binds,
      command: ["sh", "-c", `printf '%s' "$IPN_BIND_POLICY" > ${out}; exit 3`],
    });
    assert.equal(code, 3);
    assert.equal(await Deno.readTextFile(out), "name fixed\nexcept unix\ndevice lo\n");
    assert.equal(
      await execWithPolicy({ policy: "fixed", binds, command: ["sh", "-c", "kill -TERM $$"] }),
      143,
    );
    await assert.rejects(
      execWithPolicy({ policy: "fixed", binds, command: ["ipn-no-such-command"] }),
      /cannot run 'ipn-no-such-command': command not found/,
    );
  } finally {
    await Deno.remove(out);
  }
});
