/**
 * The TypeScript layouts and numbers of runtime/ffi/layout.ts must be what
 * the C compiler makes of native/libipn/include/ipn.h.
 */
import { deepStrictEqual } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { C, LAYOUT } from "../../../runtime/ffi/layout.ts";

const tool = fileURLToPath(new URL("../../../build/tests/ipn-layout", import.meta.url));

async function fromC(): Promise<{ constants: unknown; structs: unknown }> {
  const out = await new Deno.Command(tool, { stdout: "piped", stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${tool} failed; run 'make native'`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("struct layouts match C's offsetof/sizeof", async () => {
  const c = await fromC();
  deepStrictEqual(JSON.parse(JSON.stringify(LAYOUT)), c.structs);
});

Deno.test("ABI numbers match the C headers", async () => {
  const c = await fromC();
  deepStrictEqual({ ...C }, c.constants);
});
