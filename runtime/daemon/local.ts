/**
 * `ipnctl plan` without a running daemon: observe the live system here,
 * read-only (no engine is started), and diff against the Plan.
 *
 * @module
 */
import type { Plan } from "../../dsl/schema.ts";
import type { Diff } from "../plan/diff.ts";
import { PlanError, Reconciler } from "../reconcile/reconciler.ts";
import { defaultHandlers } from "../reconcile/handlers/mod.ts";
import { openDataplane } from "../reconcile/open.ts";
import { runDir, stateDir } from "../state/paths.ts";
import { CliError } from "../cli/errors.ts";
import { OWNER } from "./owner.ts";

export async function planLocally(
  plan: Plan,
): Promise<{ diff: Diff; fingerprint: string; warnings: string[] }> {
  const rdir = runDir();
  const dp = await openDataplane(plan.backend, rdir, { start: false });
  try {
    const rec = new Reconciler({ dp, owner: OWNER, runDir: rdir }, defaultHandlers(), {
      dir: stateDir(),
    });
    const problems = await rec.problems(plan);
    if (problems.length) throw new CliError(new PlanError(problems).message);
    const { diff, fingerprint } = await rec.plan(plan.resources);
    return { diff, fingerprint, warnings: await rec.warnings(plan) };
  } finally {
    await dp.close();
  }
}
