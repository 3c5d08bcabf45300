/**
 * Load a configuration for a command: the Plan, or its diagnostics printed
 * and a CliError. A saved plan (from `plan -o`) is recognised too.
 *
 * @module
 */
import { loadPlan, renderDiagnostics } from "../../dsl/mod.ts";
import type { Plan } from "../../dsl/schema.ts";
import { readSavedPlan, type SavedPlan, sha256 } from "../plan/saved.ts";
import { useColor } from "./args.ts";
import { CliError } from "./errors.ts";

export interface Loaded {
  plan: Plan;
  file: string;
  fileHash: string;
  /** Set when FILE was a saved plan. */
  saved?: SavedPlan;
}

/** Load FILE as a saved plan or a configuration; errors are printed. */
export async function loadForCommand(
  file: string,
  opts: { host?: string; json?: boolean; allowSaved?: boolean } = {},
): Promise<Loaded> {
  if (opts.allowSaved) {
    let saved: SavedPlan | undefined;
    try {
      saved = await readSavedPlan(file);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (saved) return { plan: saved.plan, file: saved.file, fileHash: saved.fileHash, saved };
  }
  const loaded = await loadPlan(file, { host: opts.host });
  const warnings = loaded.diagnostics.filter((d) => d.severity === "warning");
  if (!loaded.plan) {
    if (opts.json) console.log(JSON.stringify({ diagnostics: loaded.diagnostics }, null, 2));
    else {console.error(
        renderDiagnostics(loaded.diagnostics, loaded.sources, { color: useColor(Deno.stderr) }),
      );}
    throw new CliError(`${file}: not applied, the configuration has errors`, 1);
  }
  if (warnings.length && !opts.json) {
    console.error(renderDiagnostics(warnings, loaded.sources, { color: useColor(Deno.stderr) }));
  }
  const sources = [...loaded.sources.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const fileHash = await sha256(sources.map(([f, t]) => `${f}\n${t}`).join("\n"));
  return { plan: loaded.plan, file, fileHash };
}
