import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";

const command: Command = {
  summary: "(not yet available)",
  run(_args: string[]): Promise<number> {
    throw new CliError("fmt: not yet available");
  },
};
export default command;
