/**
 * `ipnctl status`: the daemon, the live generation, pending confirmations
 * and recent events (automatic rollbacks, recoveries).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse } from "../args.ts";
import { withDaemon } from "../connect.ts";
import { daemonRunning, socketPath } from "../../api/client.ts";
import type { StatusBody } from "../../api/schema.ts";

const command: Command = {
  async run(args) {
    const { values, positionals } = parse("status", args, {
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(
        "usage: ipnctl status [--json]\n\nExit code 0 when ipnd runs, 3 when it does not.",
      );
      return 0;
    }
    if (positionals.length) throw new CliError("status: takes no arguments");
    if (!(await daemonRunning())) {
      if (values.json) console.log(JSON.stringify({ running: false, socket: socketPath() }));
      else console.log(`ipnd: not running (no socket at ${socketPath()})`);
      return 3;
    }
    return await withDaemon("status", {}, async (client) => {
      const s = await client.call<StatusBody>("GET", "/status");
      if (values.json) {
        console.log(JSON.stringify({ running: true, ...s }, null, 2));
        return 0;
      }
      console.log(
        `ipnd: running for host ${s.daemon.host} (pid ${s.daemon.pid}, ${s.daemon.backend} backend, ` +
          `since ${s.daemon.startedAt})`,
      );
      console.log(`state: ${s.daemon.stateDir}   runtime: ${s.daemon.runDir}`);
      if (s.generation === 0) console.log("generation: none applied yet");
      else {
        console.log(
          `generation: ${s.generation}, applied ${s.appliedAt} by ${s.appliedBy}` +
            (s.file ? ` from ${s.file}` : ""),
        );
      }
      console.log(`resources owned: ${s.resources}`);
      if (s.pendingConfirm) {
        console.log(
          `pending: generation ${s.pendingConfirm.generation} rolls back to ${s.pendingConfirm.previous} at ` +
            `${s.pendingConfirm.deadline} unless 'ipnctl confirm' arrives`,
        );
      }
      if (s.busy) console.log(`busy: ${s.busy.what} by ${s.busy.by} since ${s.busy.since}`);
      if (s.notices.length) {
        console.log("recent events:");
        for (const n of s.notices.slice(-5)) console.log(`  ${n.at}  ${n.message}`);
      }
      return 0;
    });
  },
};
export default command;
