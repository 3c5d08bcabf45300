/**
 * `ipnctl daemon`: run ipnd in the foreground (for systemd).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { runDaemon } from "../../daemon/main.ts";

const HELP = `usage: ipnctl daemon [--backend auto|user|kernel] [--group NAME] [--host NAME]

Run ipnd in the foreground. SIGHUP re-applies the last applied file;
SIGTERM stops the daemon and leaves every network running.

options:
  --backend B     auto (kernel module when loaded, else user engine), user, kernel
  --group NAME    let group NAME use the control socket (default: root only)
  --host NAME     the host of fleet files this daemon manages (default: the
                  machine's hostname); plans for other hosts are refused`;

/** A host name as `host` blocks spell it (a language name, at most 63 bytes). */
const HOST = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$/;

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("daemon", args, {
      backend: { type: "string", default: "auto" },
      group: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length) throw new CliError("daemon: takes no arguments");
    const b = values.backend!;
    if (b !== "auto" && b !== "user" && b !== "kernel") {
      throw new CliError("daemon: --backend must be auto, user or kernel");
    }
    if (values.host !== undefined && !HOST.test(values.host)) {
      throw new CliError(
        `daemon: --host '${values.host}' is not a host name (letters, digits, '_', '-' and '.', at most 63)`,
      );
    }
    try {
      return await runDaemon({ backend: b, group: values.group, host: values.host });
    } catch (e) {
      throw new CliError(`daemon: ${(e as Error).message}`);
    }
  },
};
export default command;
