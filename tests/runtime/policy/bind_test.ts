import assert from "node:assert/strict";
import { join } from "node:path";
import type { Bind } from "../../../dsl/schema.ts";
import {
  bindPolicyText,
  policyTarget,
  publishBindPolicies,
  publishedBindPolicies,
  readPublishedBindPolicy,
  withDevice,
} from "../../../runtime/policy/bind.ts";
import { checkBindPolicyText, PolicyError } from "../../../runtime/policy/ffi.ts";

const testers: Bind = {
  kind: "bind",
  name: "usn-testers",
  env: "ND",
  except: [
    { kind: "port", proto: "tcp", ports: [{ from: 6000, to: 6063 }] },
    { kind: "port", proto: "any", ports: [{ from: 53, to: 53 }, { from: 5353, to: 5354 }] },
    { kind: "loopback" },
    { kind: "unix" },
    { kind: "address", cidr: "10.0.0.0/8" },
  ],
};

Deno.test("a bind resource renders to the text the preload library parses", () => {
  assert.equal(
    bindPolicyText(testers),
    "name usn-testers\nenv ND\nexcept tcp 6000-6063\nexcept any 53,5353-5354\n" +
      "except loopback\nexcept unix\nexcept address 10.0.0.0/8\n",
  );
  assert.equal(
    bindPolicyText({ ...testers, device: "usn0", except: [] }),
    "name usn-testers\ndevice usn0\nenv ND\n",
  );
  assert.equal(bindPolicyText(testers, "veth1").split("\n")[1], "device veth1");
});

Deno.test("what the library would refuse is refused here, with its reason", () => {
  assert.throws(
    () => bindPolicyText({ ...testers, except: [{ kind: "address", cidr: "10.0.0.0/40" }] }),
    (e) =>
      e instanceof PolicyError && /bind usn-testers: line 3: '10\.0\.0\.0\/40'/.test(e.message),
  );
  assert.throws(
    () =>
      bindPolicyText({
        ...testers,
        except: [{ kind: "port", proto: "tcp", ports: [{ from: 9, to: 2 }] }],
      }),
    /is not a port list/,
  );
  assert.equal(checkBindPolicyText("device usn0; except loopback"), undefined);
  assert.match(checkBindPolicyText("device usn0 usn1") ?? "", /line 1: 'device' takes exactly one/);
});

Deno.test("device and env of policy text, and replacing the device", () => {
  assert.deepEqual(policyTarget("name x\ndevice usn0 # here\nenv ND\n"), {
    device: "usn0",
    env: "ND",
  });
  assert.deepEqual(policyTarget("env X;except unix"), { env: "X" });
  assert.equal(
    withDevice("name x\ndevice a\nexcept unix\n", "b"),
    "name x\nexcept unix\ndevice b\n",
  );
});

Deno.test("policies are published atomically, world-readable, stale ones removed", () => {
  const dir = Deno.makeTempDirSync({ prefix: "ipn-bind-test-" });
  try {
    const other: Bind = { kind: "bind", name: "other", device: "eth9", except: [] };
    publishBindPolicies(dir, [testers, other]);
    assert.deepEqual(publishedBindPolicies(dir), ["other", "usn-testers"]);
    assert.equal(readPublishedBindPolicy(dir, "usn-testers"), bindPolicyText(testers));
    assert.equal(Deno.statSync(join(dir, "bind", "other.policy")).mode! & 0o777, 0o644);
    Deno.writeTextFileSync(join(dir, "bind", "notes.txt"), "kept");
    publishBindPolicies(dir, [other]);
    assert.deepEqual(publishedBindPolicies(dir), ["other"]);
    assert.equal(readPublishedBindPolicy(dir, "usn-testers"), undefined);
    assert.equal(Deno.readTextFileSync(join(dir, "bind", "notes.txt")), "kept");
    assert.equal(readPublishedBindPolicy(dir, "../etc/passwd"), undefined);
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "bind"))].map((e) => e.name).sort(),
      ["notes.txt", "other.policy"],
    );
    // a bad policy anywhere: nothing is written
    assert.throws(() => publishBindPolicies(dir, [{ ...other, name: "a/b" }]), /the name must be/);
    assert.deepEqual(publishedBindPolicies(dir), ["other"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
