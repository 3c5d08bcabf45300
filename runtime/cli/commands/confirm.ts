/**
 * `ipnctl confirm`: keep a change applied with --confirm.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { requester, withDaemon } from "../connect.ts";

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("confirm", args, {
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl confirm\n\nKeep the generation applied with 'apply --confirm'; stops its automatic rollback.",
      );
      return 0;
    }
    if (positionals.length) throw new CliError("confirm: takes no arguments");
    return await withDaemon("confirm", {}, async (client) => {
      const r = await client.call<{ confirmed: number }>("POST", "/confirm", { by: requester() });
      console.log(`Generation ${r.confirmed} confirmed; it stays.`);
      return 0;
    });
  },
};
export default command;
