/**
 * `ipnctl history`: the applied generations.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { withDaemon } from "../connect.ts";
import { summaryText } from "../progress.ts";
import type { Generation } from "../../state/generations.ts";

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("history", args, {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl history [--json]\n\nList applied generations: number, time, user, file hash, summary.",
      );
      return 0;
    }
    if (positionals.length) throw new CliError("history: takes no arguments");
    return await withDaemon("history", {}, async (client) => {
      const { generations } = await client.call<{ generations: Omit<Generation, "resources">[] }>(
        "GET",
        "/history",
      );
      if (values.json) {
        console.log(JSON.stringify(generations, null, 2));
        return 0;
      }
      if (!generations.length) {
        console.log("No generations yet.");
        return 0;
      }
      console.log(
        "GEN  TIME                      BY          REASON         FILE HASH     CHANGES",
      );
      for (const g of generations) {
        const reason = g.reason + (g.target !== undefined ? ` ->${g.target}` : "");
        console.log(
          `${String(g.generation).padEnd(4)} ${g.at.padEnd(25)} ${g.by.slice(0, 11).padEnd(11)} ${
            reason.padEnd(14)
          } ` +
            `${(g.fileHash ?? "-").slice(0, 12).padEnd(13)} ${summaryText(g.summary)}`,
        );
      }
      return 0;
    });
  },
};
export default command;
