/**
 * `ipnctl confirm`: keep a change applied with --confirm.
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { connect, requester } from "../connect.ts";
import { ApiError } from "../../api/client.ts";

const command: Command = {
  summary: "keep a change applied with --confirm",
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
    const client = await connect();
    try {
      const r = await client.call<{ confirmed: number }>("POST", "/confirm", { by: requester() });
      console.log(`Generation ${r.confirmed} confirmed; it stays.`);
      return 0;
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(`confirm: ${e.message}`);
      throw e;
    } finally {
      client.close();
    }
  },
};
export default command;
