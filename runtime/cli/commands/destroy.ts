/**
 * `ipnctl destroy FILE`: remove what FILE declares (and only that), with the
 * plan shown first.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { parseDuration, requester, withDaemon } from "../connect.ts";
import { loadForCommand } from "../load.ts";
import { streamed, summaryText } from "../progress.ts";
import { renderDiff } from "../../plan/render.ts";
import { type Diff, isEmpty } from "../../plan/diff.ts";
import { daemonHost } from "../host.ts";

const command: Command = {
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
    const lockTimeoutMs = values["lock-timeout"]
      ? parseDuration(values["lock-timeout"], "--lock-timeout")
      : 0;
    return await withDaemon("destroy", {}, async (client) => {
      const loaded = await loadForCommand(positionals[0], {
        host: values.host ?? (await daemonHost(client)),
      });
      const { diff, fingerprint } = await client.call<{ diff: Diff; fingerprint: string }>(
        "POST",
        "/plan",
        {
          plan: loaded.plan,
          destroy: true,
        },
      );
      Deno.stdout.writeSync(
        new TextEncoder().encode(renderDiff(diff, { color: !values["no-color"] && useColor() })),
      );
      if (isEmpty(diff)) return 0;
      const targets = loaded.plan.resources.map((r) => ({ kind: r.kind, name: r.name }));
      const last = await streamed(client, "destroy", "/destroy", {
        targets,
        host: loaded.plan.host,
        by: requester(),
        file: loaded.file,
        expect: fingerprint,
        lockTimeoutMs,
      });
      console.log(
        `Destroy complete: generation ${last.generation} (${summaryText(last.summary)}).`,
      );
      return 0;
    });
  },
};
export default command;
