/**
 * `ipnctl rollback [N]`: return to generation N (default: the previous one).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { parseDuration, requester, withDaemon } from "../connect.ts";
import { streamed, summaryText } from "../progress.ts";

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("rollback", args, {
      "lock-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl rollback [N] [--lock-timeout DURATION]\n\nReturn the live system to generation N " +
          "(default: the one before the current), as a new generation.",
      );
      return 0;
    }
    if (positionals.length > 1) throw new CliError("rollback: takes at most one generation number");
    let generation: number | undefined;
    if (positionals.length) {
      generation = Number(positionals[0]);
      if (!Number.isInteger(generation) || generation < 0) {
        throw new CliError(`rollback: '${positionals[0]}' is not a generation number`);
      }
    }
    const lockTimeoutMs = values["lock-timeout"]
      ? parseDuration(values["lock-timeout"], "--lock-timeout")
      : 0;
    return await withDaemon("rollback", {}, async (client) => {
      const last = await streamed(client, "rollback", "/rollback", {
        generation,
        by: requester(),
        lockTimeoutMs,
      });
      console.log(
        last.changed
          ? `Rolled back: now generation ${last.generation} (${summaryText(last.summary)}).`
          : "Nothing to do: the live system already matches that generation.",
      );
      return 0;
    });
  },
};
export default command;
