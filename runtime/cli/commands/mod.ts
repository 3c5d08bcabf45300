/**
 * The table of ipnctl commands.
 *
 * @module
 */
import apply from "./apply.ts";
import confirm from "./confirm.ts";
import daemon from "./daemon.ts";
import destroy from "./destroy.ts";
import exec from "./exec.ts";
import fmt from "./fmt.ts";
import history from "./history.ts";
import plan from "./plan.ts";
import rollback from "./rollback.ts";
import show from "./show.ts";
import status from "./status.ts";
import validate from "./validate.ts";

/** One ipnctl command: `run` gets the arguments after its name. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  validate,
  fmt,
  plan,
  apply,
  destroy,
  status,
  show,
  history,
  rollback,
  confirm,
  exec,
  daemon,
};
