/**
 * The recorded state: what ipn last applied and therefore owns. Written
 * atomically; read back with validation so a damaged file is an error with
 * its path, not a crash.
 *
 * @module
 */
import { z } from "zod";
import { Resource } from "../../dsl/schema.ts";
import { writeFileAtomic } from "./atomic.ts";

/** Version of the state file format. */
export const STATE_VERSION = 1;

/** The state file: owned resources of the last committed generation. */
export const State = z.object({
  version: z.literal(STATE_VERSION),
  /** Generation number; 0 before the first apply. */
  generation: z.number().int().nonnegative(),
  /** When the generation was committed (ISO 8601). */
  appliedAt: z.string().optional(),
  /** Who applied it (user name or uid). */
  appliedBy: z.string().optional(),
  /** sha256 of the source file(s) applied. */
  fileHash: z.string().optional(),
  /** The file it came from. */
  file: z.string().optional(),
  backend: z.enum(["user", "kernel"]).optional(),
  resources: z.array(Resource),
  /** An apply made with --confirm that rolls back unless confirmed by `deadline`. */
  pendingConfirm: z.object({
    generation: z.number().int(),
    previous: z.number().int().nonnegative(),
    deadline: z.string(),
  }).optional(),
  /** Recent events worth showing in `ipnctl status` (rollbacks, recoveries). */
  notices: z.array(z.object({ at: z.string(), message: z.string() })).default([]),
});
export type State = z.infer<typeof State>;

/** The state before anything was applied. */
export function emptyState(): State {
  return { version: STATE_VERSION, generation: 0, resources: [], notices: [] };
}

/** A state file that cannot be read or does not validate. */
export class StateError extends Error {}

/** Read the state at `path`; a missing file is the empty state. */
export async function readState(path: string): Promise<State> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return emptyState();
    throw new StateError(`cannot read state ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StateError(`state ${path} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = State.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateError(
      `state ${path} is invalid at ${issue.path.join(".") || "top"}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Write the state atomically. */
export async function writeState(path: string, state: State): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(state, null, 2) + "\n", 0o600);
}
