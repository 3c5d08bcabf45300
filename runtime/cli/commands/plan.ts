/**
 * `ipnctl plan FILE`: show what applying FILE would change, against the
 * live system (through ipnd when it runs, else observed read-only here), or
 * against a recorded state file with --state.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { loadForCommand } from "../load.ts";
import { type Diff, diff as computeDiff, isEmpty } from "../../plan/diff.ts";
import { diffToJson, renderDiff } from "../../plan/render.ts";
import {
  fingerprint as fingerprintOf,
  SAVED_PLAN_FORMAT,
  writeSavedPlan,
} from "../../plan/saved.ts";
import { readState } from "../../state/store.ts";
import { ApiError, Client } from "../../api/client.ts";
import { planLocally } from "../../daemon/local.ts";
import { machineHost, printWarnings, runningDaemonHost } from "../host.ts";

type PlanAnswer = { diff: Diff; fingerprint: string; warnings?: string[] };

const HELP = `usage: ipnctl plan [options] FILE

Show what 'ipnctl apply FILE' would change, attribute by attribute, and name
objects that drifted (changed or removed outside ipn since the last apply).

options:
  --json                 the plan as JSON
  -o, --out PATH         save the plan; 'ipnctl apply PATH' applies exactly it
  --detailed-exitcode    exit 0: no changes, 1: error, 2: changes pending
  --host NAME            plan the part of FILE for host NAME (default: the host
                         of the ipnd running here, else this machine's hostname);
                         another host's part is shown against an empty live system
  --state PATH           compare with a recorded state file instead of the live system
  --no-color             plain output (also when NO_COLOR is set)`;

const command: Command = {
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
    const served = values.state ? undefined : await runningDaemonHost();
    const loaded = await loadForCommand(file, { host: values.host ?? served, json: values.json });
    const host = loaded.plan.host;

    let d: Diff;
    let fp: string;
    let warnings: string[] | undefined;
    try {
      if (values.state) {
        const state = await readState(values.state).catch((e) => {
          throw new CliError((e as Error).message);
        });
        d = computeDiff(state.resources, loaded.plan.resources, { recorded: state.resources });
        fp = await fingerprintOf(state.resources);
      } else if (host !== undefined && host !== (served ?? machineHost())) {
        // Another host's part: nothing of it lives here to compare with.
        console.error(
          served
            ? `note: this machine's ipnd manages host ${served}; host ${host}'s part is shown against an empty live system`
            : `note: no ipnd for host ${host} runs here; its part is shown against an empty live system`,
        );
        d = computeDiff([], loaded.plan.resources, { recorded: [] });
        fp = await fingerprintOf([]);
      } else if (served !== undefined) {
        const client = new Client();
        try {
          ({ diff: d, fingerprint: fp, warnings } = await client.call<PlanAnswer>("POST", "/plan", {
            plan: loaded.plan,
          }));
        } finally {
          client.close();
        }
      } else {
        ({ diff: d, fingerprint: fp, warnings } = await planLocally(loaded.plan));
      }
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(`plan: ${e.message}`);
      throw e;
    }

    if (values.out) {
      await writeSavedPlan(values.out, {
        format: SAVED_PLAN_FORMAT,
        version: 1,
        fingerprint: fp,
        file: file.startsWith("/") ? file : `${Deno.cwd()}/${file}`,
        fileHash: loaded.fileHash,
        createdAt: new Date().toISOString(),
        plan: loaded.plan,
      });
    }
    if (values.json) {
      console.log(
        JSON.stringify({ ...(diffToJson(d) as object), warnings: warnings ?? [] }, null, 2),
      );
    } else {
      printWarnings(warnings);
      Deno.stdout.writeSync(new TextEncoder().encode(renderDiff(d, { color })));
      if (values.out) {
        console.log(
          `\nSaved the plan to ${values.out}; 'ipnctl apply ${values.out}' applies exactly it.`,
        );
      }
    }
    if (values["detailed-exitcode"]) return isEmpty(d) ? 0 : 2;
    return 0;
  },
};
export default command;
