/**
 * `ipnctl destroy FILE`: remove what FILE declares (and only that), with the
 * plan shown first.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { connect, parseDuration, requester } from "../connect.ts";
import { loadForCommand } from "../load.ts";
import { progressPrinter, summaryText } from "../progress.ts";
import { renderDiff } from "../../plan/render.ts";
import { type Diff, isEmpty } from "../../plan/diff.ts";
import { ApiError } from "../../api/client.ts";
import { daemonHost } from "../host.ts";

const command: Command = {
  summary: "remove what a file declares",
  async run(args) {
    const { values, positionals } = parse("destroy", args, {
      host: { type: "string" },
      "lock-timeout": { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl destroy [--host NAME] [--lock-timeout DURATION] FILE\n\n" +
          "Remove every object FILE declares that ipn applied; show the plan first. Other objects stay.",
      );
      return 0;
    }
    if (positionals.length !== 1) throw new CliError("destroy: expects exactly one FILE");
    const lockTimeoutMs = values["lock-timeout"] ? parseDuration(values["lock-timeout"], "--lock-timeout") : 0;
    const client = await connect();
    try {
      const loaded = await loadForCommand(positionals[0], { host: values.host ?? (await daemonHost(client)) });
      const { diff, fingerprint } = await client.call<{ diff: Diff; fingerprint: string }>("POST", "/plan", {
        plan: loaded.plan,
        destroy: true,
      });
      Deno.stdout.writeSync(new TextEncoder().encode(renderDiff(diff, { color: !values["no-color"] && useColor() })));
      if (isEmpty(diff)) return 0;
      const targets = loaded.plan.resources.map((r) => ({ kind: r.kind, name: r.name }));
      const last = await client.stream("/destroy", {
        targets,
        host: loaded.plan.host,
        by: requester(),
        file: loaded.file,
        expect: fingerprint,
        lockTimeoutMs,
      }, progressPrinter());
      if (last.event === "error") throw new CliError(`destroy failed: ${last.message}`);
      if (last.event !== "result") throw new CliError("destroy: unexpected reply from ipnd");
      console.log(`Destroy complete: generation ${last.generation} (${summaryText(last.summary)}).`);
      return 0;
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(`destroy: ${e.message}`);
      throw e;
    } finally {
      client.close();
    }
  },
};
export default command;
