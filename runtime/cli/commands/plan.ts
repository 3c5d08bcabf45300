/**
 * `ipnctl plan FILE`: show what applying FILE would change.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { loadPlan, renderDiagnostics } from "../../../dsl/mod.ts";
import { diff, isEmpty } from "../../plan/diff.ts";
import { diffToJson, renderDiff } from "../../plan/render.ts";
import { fingerprint, SAVED_PLAN_FORMAT, sha256, writeSavedPlan } from "../../plan/saved.ts";
import { readState } from "../../state/store.ts";
import { defaultStatePath } from "../../state/paths.ts";

const HELP = `usage: ipnctl plan [options] FILE

Show what 'ipnctl apply FILE' would change, attribute by attribute.

options:
  --json                 the plan as JSON
  -o, --out PATH         save the plan; 'ipnctl apply PATH' applies exactly it
  --detailed-exitcode    exit 0: no changes, 1: error, 2: changes pending
  --host NAME            plan the part of FILE for host NAME
  --state PATH           state file to compare with (default ${defaultStatePath()})
  --no-color             plain output (also when NO_COLOR is set)`;

const command: Command = {
  summary: "show what applying a file would change",
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parse("plan", args, {
      json: { type: "boolean" },
      out: { type: "string", short: "o" },
      "detailed-exitcode": { type: "boolean" },
      host: { type: "string" },
      state: { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new CliError("plan: expects exactly one FILE (see --help)");
    const file = positionals[0];
    const color = !values["no-color"] && useColor();

    const loaded = await loadPlan(file, { host: values.host });
    if (!loaded.plan) {
      if (values.json) {
        console.log(JSON.stringify({ diagnostics: loaded.diagnostics }, null, 2));
      } else {
        console.error(renderDiagnostics(loaded.diagnostics, loaded.sources, { color: useColor(Deno.stderr) }));
      }
      return 1;
    }
    const plan = loaded.plan;

    const state = await readState(values.state ?? defaultStatePath()).catch((e) => {
      throw new CliError((e as Error).message);
    });
    const d = diff(state.resources, plan.resources, { recorded: state.resources });

    if (values.out) {
      const sources = [...loaded.sources.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
      await writeSavedPlan(values.out, {
        format: SAVED_PLAN_FORMAT,
        version: 1,
        fingerprint: await fingerprint(state.resources),
        file,
        fileHash: await sha256(sources.map(([f, t]) => `${f}\n${t}`).join("\n")),
        createdAt: new Date().toISOString(),
        plan,
      });
    }
    if (values.json) {
      console.log(JSON.stringify(diffToJson(d), null, 2));
    } else {
      const warnings = loaded.diagnostics.filter((x) => x.severity === "warning");
      if (warnings.length) console.error(renderDiagnostics(warnings, loaded.sources, { color: useColor(Deno.stderr) }));
      Deno.stdout.writeSync(new TextEncoder().encode(renderDiff(d, { color })));
      if (values.out) console.log(`\nSaved the plan to ${values.out}; 'ipnctl apply ${values.out}' applies exactly it.`);
    }
    if (values["detailed-exitcode"]) return isEmpty(d) ? 0 : 2;
    return 0;
  },
};
export default command;
