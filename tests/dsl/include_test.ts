/**
 * Includes on disk: globs relative to the including file, sorted order,
 * `**`, cycles (also through a symlink), diagnostics located in the
 * included file, variables across files.
 */
import { join } from "node:path";
import { loadPlan, renderDiagnostics } from "../../dsl/mod.ts";
import { expandGlob, memoryFiles } from "../../dsl/files.ts";
import { assert, assertEquals } from "./assert.ts";

function tree(files: Record<string, string>): string {
  const dir = Deno.makeTempDirSync({ prefix: `ipn-include-${Deno.pid}-` });
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    Deno.mkdirSync(join(p, ".."), { recursive: true });
    Deno.writeTextFileSync(p, text);
  }
  return dir;
}

function withTree(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = tree(files);
    try {
      await fn(dir);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  };
}

const net = (name: string, extra = "") =>
  `network ${name} {\n  path "\${run}/${name}"\n${extra}}\n`;

Deno.test(
  "globs are relative to the including file and read in sorted order",
  withTree({
    "main.ipn": 'let run = "/run/ipn"\ninclude "parts/*.ipn"\ninclude "deep/**/*.ipn"\n',
    "parts/b.ipn": net("b"),
    "parts/a.ipn": net("a") + 'include "../more/c.ipn"\n',
    "parts/.hidden.ipn": net("hidden"),
    "parts/notes.txt": "not ipn",
    "more/c.ipn": net("c"),
    "deep/x.ipn": net("x"),
    "deep/1/2/y.ipn": net("y"),
  }, async (dir) => {
    const r = await loadPlan(join(dir, "main.ipn"));
    assertEquals(r.diagnostics, []);
    assertEquals(r.plan?.resources.map((x) => x.name), ["a", "b", "c", "x", "y"]);
    // Reading order: a (and the c it includes), then b, then deep/1/2/y before deep/x.
    const order = [...r.sources.keys()].map((p) => p.slice(dir.length + 1));
    assertEquals(order, [
      "main.ipn",
      "parts/a.ipn",
      "more/c.ipn",
      "parts/b.ipn",
      "deep/1/2/y.ipn",
      "deep/x.ipn",
    ]);
  }),
);

Deno.test(
  "diagnostics point into the included file",
  withTree({
    "main.ipn": 'let run = "/run/ipn"\ninclude "nets/*.ipn"\n',
    "nets/bad.ipn": '\nnetwork bad {\n  path "${run}/bad"\n  mtu 5\n}\n',
  }, async (dir) => {
    const r = await loadPlan(join(dir, "main.ipn"));
    assertEquals(r.plan, undefined);
    const d = r.diagnostics[0];
    assertEquals([d.file, d.start.line, d.start.col, d.code], [
      join(dir, "nets/bad.ipn"),
      4,
      7,
      "out-of-range",
    ]);
    const text = renderDiagnostics(r.diagnostics, r.sources, { color: false });
    assert(text.includes(" 4 |   mtu 5\n"), text);
  }),
);

Deno.test(
  "a cycle is reported with its path, also through a symlink",
  withTree({
    "main.ipn": 'include "a.ipn"\n',
    "a.ipn": 'include "sub/b.ipn"\n',
    "sub/b.ipn": 'include "../link.ipn"\n',
  }, async (dir) => {
    Deno.symlinkSync(join(dir, "a.ipn"), join(dir, "link.ipn"));
    const r = await loadPlan(join(dir, "main.ipn"));
    assertEquals(r.diagnostics.map((d) => d.code), ["include-cycle"]);
    const rel = (s: string) => s.replaceAll(dir + "/", "");
    assertEquals(rel(r.diagnostics[0].message), "include cycle: a.ipn -> sub/b.ipn -> link.ipn");
    assertEquals(rel(r.diagnostics[0].file), "sub/b.ipn");
  }),
);

Deno.test(
  "a file including itself",
  withTree({ "self.ipn": 'include "self.ipn"\n' }, async (dir) => {
    const r = await loadPlan(join(dir, "self.ipn"));
    assertEquals(r.diagnostics.map((d) => d.code), ["include-cycle"]);
  }),
);

Deno.test(
  "variables flow in reading order across files",
  withTree({
    "main.ipn": 'let run = "/run/ipn"\ninclude "vars.ipn"\nnetwork m {\n  path "${base}/m"\n}\n',
    "vars.ipn": 'let base = "${run}/site"\n',
  }, async (dir) => {
    const r = await loadPlan(join(dir, "main.ipn"));
    assertEquals(r.diagnostics, []);
    assertEquals(
      r.plan?.resources[0].kind === "network" && r.plan.resources[0].path,
      "/run/ipn/site/m",
    );
  }),
);

Deno.test(
  "a variable used before its definition says where it is defined",
  withTree({
    "main.ipn": 'network m {\n  path "${run}/m"\n}\nlet run = "/run/ipn"\n',
  }, async (dir) => {
    const r = await loadPlan(join(dir, "main.ipn"));
    const d = r.diagnostics.find((x) => x.code === "undefined-variable");
    assertEquals(
      d?.hint,
      `'run' is defined later (${join(dir, "main.ipn")}:4); define it before use`,
    );
  }),
);

Deno.test("a missing root file is one located diagnostic", async () => {
  const r = await loadPlan(`/nonexistent-${Deno.pid}/net.ipn`);
  assertEquals(r.diagnostics.map((d) => [d.code, d.start.line, d.start.col]), [[
    "file-not-found",
    1,
    1,
  ]]);
  assertEquals(r.plan, undefined);
  const text = renderDiagnostics(r.diagnostics, r.sources, { color: false });
  assert(text.startsWith(`/nonexistent-${Deno.pid}/net.ipn:1:1: error: cannot read`), text);
});

Deno.test(
  "a directory given as a file",
  withTree({ "d/x.ipn": "" }, async (dir) => {
    const r = await loadPlan(join(dir, "d"));
    assertEquals(r.diagnostics.map((d) => d.code), ["file-not-found"]);
  }),
);

Deno.test("glob syntax: ?, [...], [!...], literal segments, absolute patterns", () => {
  const fs = memoryFiles({
    "s/a1.ipn": "",
    "s/a2.ipn": "",
    "s/b1.ipn": "",
    "s/sub/c.ipn": "",
    "/etc/ipn/x.ipn": "",
  });
  assertEquals(expandGlob(fs, "s", "a?.ipn"), ["s/a1.ipn", "s/a2.ipn"]);
  assertEquals(expandGlob(fs, "s", "[ab]1.ipn"), ["s/a1.ipn", "s/b1.ipn"]);
  assertEquals(expandGlob(fs, "s", "[!a]*.ipn"), ["s/b1.ipn"]);
  assertEquals(expandGlob(fs, "s", "*/c.ipn"), ["s/sub/c.ipn"]);
  assertEquals(expandGlob(fs, "s", "**/*.ipn"), [
    "s/a1.ipn",
    "s/a2.ipn",
    "s/b1.ipn",
    "s/sub/c.ipn",
  ]);
  assertEquals(expandGlob(fs, "s", "/etc/ipn/*.ipn"), ["/etc/ipn/x.ipn"]);
  assertEquals(expandGlob(fs, "s", "missing.ipn"), ["s/missing.ipn"]);
  assertEquals(expandGlob(fs, "s", "*.txt"), []);
});
