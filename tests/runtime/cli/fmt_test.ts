/**
 * `ipnctl fmt`: rewriting in place (atomically), --check and --diff exit
 * codes and output, stdin, directories, refusal of files that do not parse,
 * and clear one-line errors for bad options.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../../dsl/assert.ts";
import { inTempDir, ipnctl } from "./run.ts";

const MESSY = 'network lab {   path "/run/ipn/lab"  # where\n  mtu 1514 }\n';
const CLEAN = 'network lab {\n  path "/run/ipn/lab"  # where\n  mtu 1514\n}\n';

Deno.test("fmt --check: exit 0 when formatted, 1 and the file names when not", async () => {
  await inTempDir(async (dir) => {
    const a = join(dir, "a.ipn");
    const b = join(dir, "b.ipn");
    Deno.writeTextFileSync(a, CLEAN);
    Deno.writeTextFileSync(b, MESSY);
    const ok = await ipnctl(["fmt", "--check", a]);
    assertEquals([ok.code, ok.stdout, ok.stderr], [0, "", ""]);
    const bad = await ipnctl(["fmt", "--check", a, b]);
    assertEquals([bad.code, bad.stdout], [1, `${b}\n`]);
    assertEquals(Deno.readTextFileSync(b), MESSY, "--check does not write");
  });
});

Deno.test("fmt --diff prints a unified diff and exits 1; nothing is written", async () => {
  await inTempDir(async (dir) => {
    const b = join(dir, "b.ipn");
    Deno.writeTextFileSync(b, MESSY);
    const r = await ipnctl(["fmt", "--diff", b]);
    assertEquals(r.code, 1);
    assertEquals(
      r.stdout,
      `--- ${b} (original)\n+++ ${b} (formatted)\n@@ -1,2 +1,4 @@\n` +
        '-network lab {   path "/run/ipn/lab"  # where\n-  mtu 1514 }\n' +
        '+network lab {\n+  path "/run/ipn/lab"  # where\n+  mtu 1514\n+}\n',
    );
    assertEquals(Deno.readTextFileSync(b), MESSY);
    const clean = await ipnctl(["fmt", "--diff", "--check", join(dir, "none.ipn")]);
    assertEquals(clean.code, 1);
    assertMatch(
      clean.stderr,
      /^ipnctl: fmt: cannot read '.*none\.ipn': no such file or directory\n$/,
    );
  });
});

Deno.test("fmt rewrites in place, keeps the file mode, and leaves no temporary file", async () => {
  await inTempDir(async (dir) => {
    const b = join(dir, "b.ipn");
    Deno.writeTextFileSync(b, MESSY);
    Deno.chmodSync(b, 0o640);
    const r = await ipnctl(["fmt", dir]);
    assertEquals([r.code, r.stdout], [0, `formatted ${b}\n`]);
    assertEquals(Deno.readTextFileSync(b), CLEAN);
    assertEquals(Deno.statSync(b).mode! & 0o777, 0o640);
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["b.ipn"]);
    const again = await ipnctl(["fmt", b]);
    assertEquals([again.code, again.stdout], [0, ""]);
  });
});

Deno.test("fmt refuses a file that does not parse and leaves it alone", async () => {
  await inTempDir(async (dir) => {
    const b = join(dir, "b.ipn");
    const broken = "network lab {\n  polcy hub\n}\n";
    Deno.writeTextFileSync(b, broken);
    const r = await ipnctl(["fmt", b]);
    assertEquals(r.code, 1);
    assertEquals(r.stdout, "");
    assert(
      r.stderr.includes(
        `${b}:2:3: error: unknown setting 'polcy' in network 'lab' [unknown-keyword]`,
      ),
      r.stderr,
    );
    assert(r.stderr.includes("= hint: did you mean 'policy'?"), r.stderr);
    assert(
      r.stderr.endsWith(`ipnctl: fmt: '${b}' was not formatted: fix the errors above first\n`),
      r.stderr,
    );
    assertEquals(Deno.readTextFileSync(b), broken);
  });
});

Deno.test("fmt - formats standard input to standard output", async () => {
  const r = await ipnctl(["fmt", "-"], { stdin: MESSY });
  assertEquals([r.code, r.stdout, r.stderr], [0, CLEAN, ""]);
  const c = await ipnctl(["fmt", "--check", "-"], { stdin: MESSY });
  assertEquals([c.code, c.stdout], [1, "<stdin>\n"]);
});

Deno.test("fmt: bad options and no files are one clear line, exit 1", async () => {
  const r = await ipnctl(["fmt", "--chekc", "x.ipn"]);
  assertEquals([r.code, r.stdout, r.stderr], [
    1,
    "",
    "ipnctl: fmt: unknown option '--chekc' (see 'ipnctl fmt --help')\n",
  ]);
  const n = await ipnctl(["fmt"]);
  assertEquals([n.code, n.stderr], [1, "ipnctl: fmt: no files given (see 'ipnctl fmt --help')\n"]);
  const v = await ipnctl(["fmt", "--check=yes", "x"]);
  assertEquals([v.code, v.stderr], [
    1,
    "ipnctl: fmt: option '--check' takes no value (see 'ipnctl fmt --help')\n",
  ]);
  const h = await ipnctl(["fmt", "--help"]);
  assertEquals(h.code, 0);
  assert(h.stdout.startsWith("usage: ipnctl fmt"));
});

Deno.test("fmt --check over the example configs passes", async () => {
  const r = await ipnctl(["fmt", "--check", "configs/"]);
  assertEquals([r.code, r.stdout, r.stderr], [0, "", ""]);
});
