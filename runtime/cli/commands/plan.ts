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
import { Client, daemonRunning } from "../../api/client.ts";
import { ApiError } from "../../api/client.ts";
import { planLocally } from "../../daemon/local.ts";

const HELP = `usage: ipnctl plan [options] FILE

Show what 'ipnctl apply FILE' would change, attribute by attribute, and name
objects that drifted (changed or removed outside ipn since the last apply).

options:
  --json                 the plan as JSON
  -o, --out PATH         save the plan; 'ipnctl apply PATH' applies exactly it
  --detailed-exitcode    exit 0: no changes, 1: error, 2: changes pending
  --host NAME            plan the part of FILE for host NAME
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
    const loaded = await loadForCommand(file, { host: values.host, json: values.json });

    let d: Diff;
    let fp: string;
    try {
      if (values.state) {
        const state = await readState(values.state).catch((e) => {
          throw new CliError((e as Error).message);
        });
        d = computeDiff(state.resources, loaded.plan.resources, { recorded: state.resources });
        fp = await fingerprintOf(state.resources);
      } else if (await daemonRunning()) {
        const client = new Client();
        try {
          ({ diff: d, fingerprint: fp } = await client.call<{ diff: Diff; fingerprint: string }>(
            "POST",
            "/plan",
            {
              plan: loaded.plan,
            },
          ));
        } finally {
          client.close();
        }
      } else {
        ({ diff: d, fingerprint: fp } = await planLocally(loaded.plan));
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
      console.log(JSON.stringify(diffToJson(d), null, 2));
    } else {
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
