/**
 * The table of ipnctl commands.
 *
 * @module
 */
import fmt from "./fmt.ts";
import validate from "./validate.ts";
import plan from "./plan.ts";

/** One ipnctl command: `run` gets the arguments after its name. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

export const commands: Record<string, Command> = {
  fmt,
  validate,
  plan,
};
