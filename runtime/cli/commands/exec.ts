/**
 * `ipnctl exec --policy NAME -- cmd args...`: run a command whose sockets
 * are bound to a device by a bind policy (libipn_bind.so).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { execWithPolicy, PolicyError } from "../../policy/mod.ts";
import { loadForCommand } from "../load.ts";
import { runDir } from "../../state/paths.ts";

const HELP = `usage: ipnctl exec --policy NAME [--device DEV] [--file FILE] -- COMMAND [ARGS...]

Run COMMAND with its sockets bound to a device (SO_BINDTODEVICE) by the bind
policy NAME, except the traffic the policy excepts (e.g. X11 ports, loopback).
The policy comes from the applied configuration (published by ipnd), or from
FILE. The device is the policy's, --device, or the policy's environment
variable (ND by default). A missing device is an error: nothing is started.`;

const command: Command = {
  async run(args) {
    const dash = args.indexOf("--");
    const own = dash >= 0 ? args.slice(0, dash) : args;
    const cmd = dash >= 0 ? args.slice(dash + 1) : [];
    const { values, positionals } = parse("exec", own, {
      policy: { type: "string" },
      device: { type: "string" },
      file: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!values.policy) throw new CliError("exec: --policy NAME is required (see --help)");
    const command = [...positionals, ...cmd];
    if (!command.length) {
      throw new CliError("exec: no command given (ipnctl exec --policy NAME -- cmd args)");
    }
    let binds;
    if (values.file) {
      const loaded = await loadForCommand(values.file);
      binds = loaded.plan.resources.filter((r) => r.kind === "bind");
    }
    try {
      return await execWithPolicy({
        policy: values.policy,
        device: values.device,
        rundir: runDir(),
        binds,
        command,
      });
    } catch (e) {
      if (e instanceof PolicyError) throw new CliError(`exec: ${e.message}`);
      throw e;
    }
  },
};
export default command;
