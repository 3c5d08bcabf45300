/**
 * `ipnctl validate`: exit codes, the one-line summary, rendered
 * diagnostics, --json's shape, --host, and bad options.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../../dsl/assert.ts";
import { inTempDir, ipnctl } from "./run.ts";

Deno.test("validate: a valid file prints what it declares and exits 0", async () => {
  const r = await ipnctl(["validate", "configs/lab.ipn"]);
  assertEquals([r.code, r.stdout, r.stderr], [
    0,
    "configs/lab.ipn: valid: 1 network, 1 tap (backend auto)\n",
    "",
  ]);
  const s = await ipnctl(["validate", "configs/site.ipn"]);
  assertEquals(
    s.stdout,
    "configs/site.ipn: valid: 3 networks, 3 taps, 1 grab, 2 endpoints (backend auto)\n",
  );
});

Deno.test("validate without --host checks every host block's view", async () => {
  const r = await ipnctl(["validate", "configs/fleet.ipn"]);
  assertEquals(
    r.stdout,
    "configs/fleet.ipn: valid: host alpha: 3 networks, 1 tap, 3 uplinks; host beta: 3 networks, 1 tap, 3 uplinks\n",
  );
  await inTempDir(async (dir) => {
    const f = join(dir, "h.ipn");
    Deno.writeTextFileSync(
      f,
      'host a {\n  network n {\n    path "/n"\n  }\n}\nhost b {\n  network n {\n    path "x"\n  }\n}\n',
    );
    const bad = await ipnctl(["validate", f]);
    assertEquals(bad.code, 1);
    assert(
      bad.stderr.includes(`${f}:8:10: error: path 'x' is relative [relative-path]`),
      bad.stderr,
    );
    const onlyA = await ipnctl(["validate", "--host", "a", f]);
    assertEquals([onlyA.code, onlyA.stdout], [0, `${f}: valid: host a: 1 network\n`]);
  });
});

Deno.test("validate: errors are rendered with source, caret and hint; exit 1", async () => {
  await inTempDir(async (dir) => {
    const f = join(dir, "bad.ipn");
    Deno.writeTextFileSync(
      f,
      'network lab {\n  path "/run/ipn/lab"\n  policy swtich\n  mtu 10\n}\n',
    );
    const r = await ipnctl(["validate", f]);
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    assertEquals(
      r.stderr,
      `${f}:3:10: error: expected one of 'hub', 'switch' or 'concast' after 'policy', found 'swtich' [syntax-error]\n` +
        " 3 |   policy swtich\n" +
        "   |          ^~~~~~\n" +
        "   = hint: did you mean 'switch'?\n\n" +
        `${f}:4:7: error: mtu 10 is outside 64..9216 [out-of-range]\n` +
        " 4 |   mtu 10\n" +
        "   |       ^~\n" +
        "   = hint: the largest message, in bytes: 64 to 9216\n\n" +
        "2 errors\n",
    );
    const color = await ipnctl(["validate", f], { env: { NO_COLOR: "" } });
    assert(!color.stderr.includes("\x1b["), "no colour when stderr is not a terminal");
  });
});

Deno.test("validate --json: result and diagnostics with start/end line, column, offset", async () => {
  await inTempDir(async (dir) => {
    const f = join(dir, "bad.ipn");
    Deno.writeTextFileSync(f, 'let x = "1"\nnetwork lab {\n  mtu 10\n  path "/l"\n}\n');
    const r = await ipnctl(["validate", "--json", f]);
    assertEquals([r.code, r.stderr], [1, ""]);
    const out = JSON.parse(r.stdout);
    assertEquals(Object.keys(out), [
      "file",
      "valid",
      "errors",
      "warnings",
      "hosts",
      "plans",
      "diagnostics",
    ]);
    assertEquals([out.file, out.valid, out.errors, out.warnings, out.plans], [f, false, 1, 1, []]);
    assertEquals(out.diagnostics[1], {
      severity: "error",
      code: "out-of-range",
      message: "mtu 10 is outside 64..9216",
      hint: "the largest message, in bytes: 64 to 9216",
      file: f,
      start: { line: 3, col: 7, offset: 32 },
      end: { line: 3, col: 9, offset: 34 },
    });
    assertEquals(out.diagnostics[0].code, "unused-variable");
    const ok = await ipnctl(["validate", "--json", "configs/lab.ipn"]);
    assertEquals(ok.code, 0);
    assertEquals(JSON.parse(ok.stdout).plans, [{
      backend: "auto",
      resources: { network: 1, tap: 1 },
    }]);
  });
});

Deno.test("validate: a missing file, bad options, wrong arity", async () => {
  const m = await ipnctl(["validate", "/nonexistent/x.ipn"]);
  assertEquals([m.code, m.stderr], [
    1,
    "/nonexistent/x.ipn:1:1: error: cannot read '/nonexistent/x.ipn': no such file [file-not-found]\n\n1 error\n",
  ]);
  const o = await ipnctl(["validate", "--jsn", "configs/lab.ipn"]);
  assertEquals([o.code, o.stderr], [
    1,
    "ipnctl: validate: unknown option '--jsn' (see 'ipnctl validate --help')\n",
  ]);
  const a = await ipnctl(["validate", "a.ipn", "b.ipn"]);
  assertEquals([a.code, a.stderr], [
    1,
    "ipnctl: validate: expected one FILE, got 2 (see 'ipnctl validate --help')\n",
  ]);
  const h = await ipnctl(["validate", "--host"]);
  assertEquals([h.code, h.stderr], [
    1,
    "ipnctl: validate: option '--host' needs a value (see 'ipnctl validate --help')\n",
  ]);
});
