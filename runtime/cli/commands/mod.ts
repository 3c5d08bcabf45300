/**
 * The table of ipnctl commands. Each is loaded only when run, so a quick
 * command (status) does not pay for the language front end it never uses.
 *
 * @module
 */

/** One ipnctl command: `run` gets the arguments after its name. */
export interface Command {
  run(args: string[]): Promise<number>;
}

/** A command as listed: its summary, and how to load it. */
export interface CommandEntry {
  summary: string;
  load(): Promise<{ default: Command }>;
}

export const commands: Record<string, CommandEntry> = {
  validate: { summary: "check a file and report every error", load: () => import("./validate.ts") },
  fmt: { summary: "format files in the canonical style", load: () => import("./fmt.ts") },
  plan: { summary: "show what applying a file would change", load: () => import("./plan.ts") },
  apply: { summary: "make the live system match a file", load: () => import("./apply.ts") },
  destroy: { summary: "remove what a file declares", load: () => import("./destroy.ts") },
  status: { summary: "show the daemon and the live generation", load: () => import("./status.ts") },
  show: { summary: "show live networks, members and counters", load: () => import("./show.ts") },
  history: { summary: "list applied generations", load: () => import("./history.ts") },
  rollback: { summary: "return to an earlier generation", load: () => import("./rollback.ts") },
  confirm: { summary: "keep a change applied with --confirm", load: () => import("./confirm.ts") },
  exec: { summary: "run a command under a bind policy", load: () => import("./exec.ts") },
  daemon: { summary: "run ipnd in the foreground", load: () => import("./daemon.ts") },
};
