/**
 * `ipnctl validate [--json] [--host NAME] FILE`: check a file and what it
 * includes. Exit 0 when valid (with a one-line summary of what it declares),
 * 1 with diagnostics otherwise. Without --host, every host's view is
 * checked.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { diagnosticsToJson, loadForAllHosts, loadPlan, type Plan } from "../../../dsl/mod.ts";
import { KIND_ORDER } from "../../../dsl/schema.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { printDiagnostics, writeOut } from "../report.ts";

const HELP = `usage: ipnctl validate [--json] [--host NAME] FILE

Check an .ipn file and the files it includes; print every problem found.
Exit status: 0 valid, 1 not valid.

options:
  --host NAME   check the view of this host only (default: every host block's view)
  --json        print the result and diagnostics as JSON on stdout
  -h, --help`;

const PLURAL: Record<string, string> = {
  network: "networks",
  tap: "taps",
  grab: "grabs",
  uplink: "uplinks",
  rewrite: "rewrites",
  bind: "binds",
  endpoint: "endpoints",
};

/** Count of resources per kind, in dependency order, only kinds present. */
function counts(plan: Plan): Record<string, number> {
  const c: Record<string, number> = {};
  for (const k of KIND_ORDER) {
    const n = plan.resources.filter((r) => r.kind === k).length;
    if (n) c[k] = n;
  }
  return c;
}

function describe(c: Record<string, number>): string {
  const parts = Object.entries(c).map(([k, n]) => `${n} ${n === 1 ? k : PLURAL[k]}`);
  return parts.length ? parts.join(", ") : "nothing";
}

const command: Command = {
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parse("validate", args, {
      json: { type: "boolean" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      writeOut(HELP + "\n");
      return 0;
    }
    if (positionals.length !== 1) {
      throw new CliError(
        `validate: expected one FILE, got ${positionals.length} (see 'ipnctl validate --help')`,
      );
    }
    const file = positionals[0];
    let plans: Map<string, Plan>;
    let result;
    if (values.host !== undefined) {
      if (values.host === "") throw new CliError("validate: --host needs a name");
      result = await loadPlan(file, { host: values.host });
      plans = new Map(result.plan ? [[values.host, result.plan]] : []);
    } else {
      result = loadForAllHosts(file);
      plans = result.plans;
    }
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    const valid = errors === 0;
    const perHost = [...plans].map(([host, plan]) => ({
      host: host || undefined,
      backend: plan.backend,
      resources: counts(plan),
    }));
    if (values.json) {
      const out = {
        file,
        valid,
        errors,
        warnings: result.diagnostics.length - errors,
        hosts: result.hosts,
        plans: valid ? perHost : [],
        diagnostics: diagnosticsToJson(result.diagnostics),
      };
      writeOut(JSON.stringify(out, null, 2) + "\n");
      return valid ? 0 : 1;
    }
    printDiagnostics(result.diagnostics, result.sources);
    if (!valid) return 1;
    const what = perHost.length === 1 && perHost[0].host === undefined
      ? `${describe(perHost[0].resources)} (backend ${perHost[0].backend})`
      : perHost.map((p) => `host ${p.host}: ${describe(p.resources)}`).join("; ");
    writeOut(`${file}: valid: ${what}\n`);
    return 0;
  },
};
export default command;
