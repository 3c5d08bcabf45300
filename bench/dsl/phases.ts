/**
 * Where the language's time goes, phase by phase, for the benchmark.
 *
 * Each phase is timed on its own (its input made beforehand), so the
 * figures do not add up exactly to the end-to-end time:
 *
 * - lex: text to tokens; parse: tokens to CST (Chevrotain); ast: CST to AST;
 * - load: all of those plus variables and includes (`loadFiles`);
 * - check: the semantic checks; plan: checks, building and validating the
 *   Plan (`buildPlan`); plan_validate: validating it alone.
 *
 * @module
 */
import { runChecks } from "../../dsl/checks/mod.ts";
import { cstToAst } from "../../dsl/cst_to_ast.ts";
import { memoryFiles } from "../../dsl/files.ts";
import { lex } from "../../dsl/lexer.ts";
import { loadFiles } from "../../dsl/loader.ts";
import { parseTokens } from "../../dsl/parser.ts";
import { buildPlan, selectDecls } from "../../dsl/plan.ts";
import { checkPlan } from "../../dsl/plan_check.ts";
import { median, type Sample, timeCall } from "./measure.ts";

const PHASES = ["lex", "parse", "ast", "load", "check", "plan", "plan_validate"] as const;

/** Median wall time of each phase over `runs` runs, in ms. */
export function timePhases(text: string, file: string, runs: number): Record<string, number> {
  const t: Record<string, Sample[]> = Object.fromEntries(PHASES.map((p) => [p, []]));
  for (let i = 0; i < runs; i++) {
    const lexed = timeCall(() => lex(text, file));
    t.lex.push(lexed.sample);
    const parsed = timeCall(() => parseTokens(lexed.value.tokens));
    t.parse.push(parsed.sample);
    t.ast.push(timeCall(() => cstToAst(parsed.value.cst, file, [], new Set())).sample);
    const loaded = timeCall(() => loadFiles(memoryFiles({}), file, text));
    t.load.push(loaded.sample);
    const decls = selectDecls(loaded.value, undefined);
    t.check.push(timeCall(() => runChecks(decls, [])).sample);
    const built = timeCall(() => buildPlan(loaded.value, { root: file }));
    t.plan.push(built.sample);
    t.plan_validate.push(timeCall(() => checkPlan(built.value.plan)).sample);
  }
  const out: Record<string, number> = {};
  for (const p of PHASES) out[`${p}_ms`] = +median(t[p].map((s) => s.wallMs)).toFixed(2);
  return out;
}
