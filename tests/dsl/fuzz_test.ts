/**
 * Fuzzing the language library: thousands of mutants of the example configs
 * (fixed seed, so deterministic). The library never throws, never reports an
 * internal error, and every diagnostic is located inside the file; what the
 * formatter accepts it formats idempotently and without losing comments.
 */
import { join } from "node:path";
import { type Diagnostic, formatSource, parseSource, renderDiagnostics } from "../../dsl/mod.ts";
import { positionAt } from "../../dsl/diagnostics.ts";
import { lex } from "../../dsl/lexer.ts";
import { assert, assertEquals } from "./assert.ts";
import { ipnFiles, ROOT } from "./helpers.ts";
import { mutate, rng } from "./fuzz.ts";

const SEED = 0x1b4e;
const RUNS = 10000;

function checkLocated(d: Diagnostic, text: string, what: string): void {
  const ctx = `${what}: ${d.code} ${d.message}`;
  assertEquals(d.file, "f.ipn", ctx);
  assert(
    d.start.offset >= 0 && d.start.offset <= text.length,
    `${ctx}: start offset ${d.start.offset}`,
  );
  assert(d.end.offset >= d.start.offset && d.end.offset <= text.length + 1, `${ctx}: end offset`);
  assertEquals(
    d.start,
    positionAt(text, d.start.offset),
    `${ctx}: start line/col do not match its offset`,
  );
  assert(d.end.line >= d.start.line, ctx);
  for (const r of d.related ?? []) {
    assert(r.start.offset >= 0 && r.start.offset <= text.length, `${ctx}: related offset`);
    assertEquals(r.start, positionAt(text, r.start.offset), `${ctx}: related line/col`);
  }
}

Deno.test(`fuzz: ${RUNS} mutants never throw and always give located diagnostics`, () => {
  const corpus = [
    ...ipnFiles(join(ROOT, "configs")),
    ...ipnFiles(join(ROOT, "tests/dsl/golden/fmt")),
  ]
    .map((f) => Deno.readTextFileSync(f));
  const r = rng(SEED);
  let withErrors = 0;
  let formatted = 0;
  for (let i = 0; i < RUNS; i++) {
    let text = corpus[Math.floor(r() * corpus.length)];
    const rounds = 1 + Math.floor(r() * 3);
    for (let k = 0; k < rounds; k++) text = mutate(text, r);
    const what = `mutant ${i}`;
    const res = parseSource(text, "f.ipn", { host: "alpha" });
    const errs = res.diagnostics.filter((d) => d.severity === "error");
    if (errs.length) withErrors++;
    for (const d of res.diagnostics) {
      assert(d.code !== "internal-error", `${what}: ${d.message}\n--- input:\n${text}`);
      checkLocated(d, text, what);
    }
    assertEquals(res.plan === undefined, errs.length > 0, what);
    renderDiagnostics(res.diagnostics, res.sources, { color: i % 2 === 0 });
    const f = formatSource(text, "f.ipn");
    for (const d of f.diagnostics) checkLocated(d, text, `${what} (fmt)`);
    if (f.text !== undefined) {
      formatted++;
      assertEquals(
        formatSource(f.text, "f.ipn").text,
        f.text,
        `${what}: fmt not idempotent\n${text}`,
      );
      const before = lex(text, "x").comments.map((c) => c.image.trimEnd());
      assertEquals(
        lex(f.text, "x").comments.map((c) => c.image.trimEnd()),
        before,
        `${what}: comments`,
      );
    }
  }
  // The mutations must actually exercise both paths.
  assert(withErrors > RUNS / 3, `only ${withErrors} mutants had errors`);
  assert(formatted > RUNS / 10, `only ${formatted} mutants formatted`);
});
