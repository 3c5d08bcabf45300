/**
 * Where the language's time goes, phase by phase, for the benchmark.
 *
 * Timing a phase alone, on input made beforehand, misleads: the garbage
 * collector's work depends on what is still alive from earlier phases (the
 * tokens while parsing, the tree while converting). So each figure is a
 * whole prefix of the pipeline, run as the language runs it, and a phase is
 * the difference between two prefixes' medians (prefixes are run in turn,
 * so they see the same machine):
 *
 * - lex: text to tokens; parse: tokens to CST (Chevrotain); ast: CST to AST;
 * - load: all of those plus variables and includes (`loadFiles`);
 * - check: the semantic checks; plan: building the Plan, validating it and
 *   sorting diagnostics (the rest of `parseSource`);
 * - plan_validate: validating a built Plan against its schema, timed alone.
 *
 * `parse_check` is the prefix up to the checks: what a file costs before
 * its Plan is built.
 *
 * @module
 */
import { runChecks } from "../../dsl/checks/mod.ts";
import { cstToAst } from "../../dsl/cst_to_ast.ts";
import { memoryFiles } from "../../dsl/files.ts";
import { lex } from "../../dsl/lexer.ts";
import { loadFiles } from "../../dsl/loader.ts";
import { parseSource } from "../../dsl/mod.ts";
import { parseTokens } from "../../dsl/parser.ts";
import { buildPlan, selectDecls } from "../../dsl/plan.ts";
import { checkPlan } from "../../dsl/plan_check.ts";
import { median, timeCall } from "./measure.ts";

/** Median wall time of each phase over `runs` runs, in ms. */
export function timePhases(text: string, file: string, runs: number): Record<string, number> {
  const load = () => loadFiles(memoryFiles({}), file, text);
  const prefixes: Record<string, () => unknown> = {
    lex: () => lex(text, file),
    parse: () => parseTokens(lex(text, file).tokens),
    ast: () => cstToAst(parseTokens(lex(text, file).tokens).cst, file, [], new Set()),
    load,
    parse_check: () => runChecks(selectDecls(load(), undefined), []),
    all: () => parseSource(text, file),
  };
  const t: Record<string, number[]> = Object.fromEntries(Object.keys(prefixes).map((k) => [k, []]));
  const plan = buildPlan(load(), { root: file }).plan;
  const validate: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [k, f] of Object.entries(prefixes)) t[k].push(timeCall(f).sample.wallMs);
    validate.push(timeCall(() => checkPlan(plan)).sample.wallMs);
  }
  const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const r = (x: number) => +Math.max(0, x).toFixed(2);
  return {
    lex_ms: r(m.lex),
    parse_ms: r(m.parse - m.lex),
    ast_ms: r(m.ast - m.parse),
    load_ms: r(m.load),
    check_ms: r(m.parse_check - m.load),
    plan_ms: r(m.all - m.parse_check),
    plan_validate_ms: r(median(validate)),
    parse_check_ms: r(m.parse_check),
  };
}
