import assert from "node:assert/strict";
import { nftList, probeInterface } from "../../../runtime/policy/ffi.ts";

Deno.test("interface facts come from the kernel", () => {
  const lo = probeInterface("lo");
  assert.ok(lo);
  assert.equal(lo.ethernet, false);
  assert.ok(lo.index > 0);
  assert.equal(probeInterface("ipnnosuch0"), undefined);
});

Deno.test({
  name: "a table that does not exist lists as undefined",
  ignore: Deno.uid() !== 0,
  fn() {
    assert.equal(nftList("netdev", `ipn_test_absent_${Deno.pid}`), undefined);
    assert.throws(() => nftList("netdev", "bad name"), /invalid argument/);
  },
});
