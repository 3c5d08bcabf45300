/**
 * Drives the policy modules from the end-to-end scripts, the way the daemon
 * and `ipnctl` will: a Plan file in, one action, errors as one clean block.
 *
 *   driver.ts rewrite check|apply|drift|remove|counters PLAN.json
 *   driver.ts bind publish PLAN.json RUNDIR
 *   driver.ts exec [--plan PLAN.json] [--rundir DIR] --policy NAME [--device DEV] -- CMD...
 *   driver.ts endpoint connect|text PLAN.json NAME
 *   driver.ts endpoint publish PLAN.json RUNDIR
 *
 * @module
 */
import { Plan, type Resource } from "../../../dsl/schema.ts";
import {
  applyRewrites,
  checkRewrites,
  connectEndpoint,
  entryText,
  execWithPolicy,
  PolicyError,
  publishBindPolicies,
  publishEndpoints,
  removeRewrites,
  rewriteCounters,
  rewriteDrift,
} from "../../../runtime/policy/mod.ts";
import { parseArgs } from "node:util";

function loadPlan(path: string): Plan {
  return Plan.parse(JSON.parse(Deno.readTextFileSync(path)));
}

function ofKind<K extends Resource["kind"]>(plan: Plan, kind: K): Extract<Resource, { kind: K }>[] {
  return plan.resources.filter((r): r is Extract<Resource, { kind: K }> => r.kind === kind);
}

async function main(args: string[]): Promise<number> {
  const [area, action, ...rest] = args;
  if (area === "rewrite") {
    const rewrites = ofKind(loadPlan(rest[0]), "rewrite");
    if (action === "check") {
      checkRewrites(rewrites);
      console.log("ok");
    } else if (action === "apply") {
      const r = applyRewrites(rewrites);
      console.log(r.changed ? "applied" : "unchanged");
    } else if (action === "drift") {
      const d = rewriteDrift(rewrites);
      console.log(d.length ? d.join("\n") : "no drift");
      return d.length ? 3 : 0;
    } else if (action === "remove") {
      console.log(removeRewrites() ? "removed" : "absent");
    } else if (action === "counters") {
      console.log(JSON.stringify(rewriteCounters()));
    } else return usage();
    return 0;
  }
  if (area === "bind" && action === "publish") {
    publishBindPolicies(rest[1], ofKind(loadPlan(rest[0]), "bind"));
    return 0;
  }
  if (area === "exec") {
    const { values, positionals } = parseArgs({
      args: [action, ...rest],
      options: {
        plan: { type: "string" },
        rundir: { type: "string" },
        policy: { type: "string" },
        device: { type: "string" },
      },
      allowPositionals: true,
    });
    if (!values.policy || positionals.length === 0) return usage();
    return await execWithPolicy({
      policy: values.policy,
      device: values.device,
      rundir: values.rundir,
      binds: values.plan ? ofKind(loadPlan(values.plan), "bind") : undefined,
      command: positionals,
    });
  }
  if (area === "endpoint" && (action === "connect" || action === "text")) {
    const ep = ofKind(loadPlan(rest[0]), "endpoint").find((e) => e.name === rest[1]);
    if (!ep) throw new PolicyError(`no endpoint ${rest[1]} in the plan`);
    if (action === "text") {
      console.log(ep.addresses.map(entryText).join("\n"));
      return 0;
    }
    const c = await connectEndpoint(ep, { timeoutMs: 1000 });
    for (const f of c.failures) console.log(f);
    console.log(`served index=${c.index} family=${c.family}`);
    c.conn.close();
    return 0;
  }
  if (area === "endpoint" && action === "publish") {
    publishEndpoints(rest[1], ofKind(loadPlan(rest[0]), "endpoint"));
    return 0;
  }
  return usage();
}

function usage(): number {
  console.error("usage: driver.ts rewrite|bind|exec|endpoint ... (see the file's header)");
  return 2;
}

try {
  Deno.exit(await main(Deno.args));
} catch (e) {
  if (!(e instanceof PolicyError)) throw e;
  console.error(`error: ${e.message}`);
  Deno.exit(1);
}
