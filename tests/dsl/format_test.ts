/**
 * The formatter: golden layouts, idempotence, and every comment kept, over
 * the example configs and every test input that parses.
 */
import { join } from "node:path";
import { formatSource, parseSource } from "../../dsl/mod.ts";
import { lex } from "../../dsl/lexer.ts";
import { assert, assertEquals } from "./assert.ts";
import { golden, ipnFiles, ROOT } from "./helpers.ts";

const FMT = join(ROOT, "tests/dsl/golden/fmt");

for (const path of ipnFiles(FMT).filter((p) => !p.endsWith(".out.ipn"))) {
  const name = path.slice(FMT.length + 1);
  Deno.test(`fmt golden ${name}`, () => {
    const r = formatSource(Deno.readTextFileSync(path), name);
    assertEquals(r.diagnostics, []);
    assert(r.text !== undefined);
    golden(path.replace(/\.ipn$/, ".out.ipn"), r.text);
  });
}

/** Comment texts in order, trailing spaces dropped. */
function comments(text: string): string[] {
  return lex(text, "x").comments.map((c) => c.image.replace(/\s+$/, ""));
}

/** The Plan without source positions (which formatting moves). */
function planShape(text: string, file: string, files?: Record<string, string>) {
  const r = parseSource(text, file, { files, host: "alpha" });
  return {
    plan: r.plan &&
      { ...r.plan, resources: r.plan.resources.map((x) => ({ ...x, source: undefined })) },
    codes: r.diagnostics.map((d) => d.code),
  };
}

const inputs = [
  ...ipnFiles(join(ROOT, "configs")),
  ...ipnFiles(join(ROOT, "tests/dsl/golden")),
];

Deno.test("fmt is idempotent, keeps every comment and the meaning, on configs and test inputs", () => {
  let formatted = 0;
  for (const path of inputs) {
    const text = Deno.readTextFileSync(path);
    const r = formatSource(text, path);
    if (r.text === undefined) {
      // Only files with syntax errors may be refused.
      assert(r.diagnostics.some((d) => d.severity === "error"), `${path} refused without an error`);
      continue;
    }
    formatted++;
    const again = formatSource(r.text, path);
    assertEquals(again.text, r.text, `${path}: formatting twice changes it`);
    assertEquals(comments(r.text), comments(text), `${path}: comments changed`);
    // Same plan (or same diagnostics) before and after; includes are not resolved here.
    if (!/\binclude\b/.test(text)) {
      assertEquals(planShape(r.text, path), planShape(text, path), `${path}: meaning changed`);
    }
  }
  assert(formatted >= 60, `only ${formatted} inputs formatted`);
});

Deno.test("fmt: the example configs are already formatted", () => {
  for (const path of ipnFiles(join(ROOT, "configs"))) {
    const text = Deno.readTextFileSync(path);
    assertEquals(formatSource(text, path).text, text, `${path} is not formatted`);
  }
});

Deno.test("fmt refuses a file that does not parse", () => {
  const r = formatSource("network lab {\n  polcy hub\n}\n", "x.ipn");
  assertEquals(r.text, undefined);
  assertEquals(r.diagnostics.map((d) => d.code), ["unknown-keyword"]);
  const s = formatSource("network lab {\n  mtu\n}\n", "x.ipn");
  assertEquals(s.text, undefined);
  assertEquals(s.diagnostics.map((d) => d.code), ["syntax-error"]);
});

Deno.test("fmt formats files with semantic errors (they parse)", () => {
  const r = formatSource('network lab {   path "relative"  }\nnetwork lab { path "/x" }', "x.ipn");
  assertEquals(r.text, 'network lab {\n  path "relative"\n}\n\nnetwork lab {\n  path "/x"\n}\n');
});

Deno.test("fmt of an empty or comment-only file", () => {
  assertEquals(formatSource("", "x").text, "");
  assertEquals(formatSource("\n\n  \n", "x").text, "");
  assertEquals(formatSource("# only\n\n\n# comments   \n", "x").text, "# only\n\n# comments\n");
});
