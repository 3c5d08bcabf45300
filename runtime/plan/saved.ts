/**
 * Saved plans (`ipnctl plan -o FILE`): the desired Plan bound to a
 * fingerprint of the state it was computed against. Applying a saved plan
 * refuses when the world has moved since.
 *
 * @module
 */
import { z } from "zod";
import { Plan, type Resource } from "../../dsl/schema.ts";
import { canonicalJson } from "./diff.ts";
import { writeFileAtomic } from "../state/atomic.ts";

export const SAVED_PLAN_FORMAT = "ipn-saved-plan";

export const SavedPlan = z.object({
  format: z.literal(SAVED_PLAN_FORMAT),
  version: z.literal(1),
  /** sha256 of the observed resources the plan was computed against. */
  fingerprint: z.string(),
  /** The file the plan came from, for messages. */
  file: z.string(),
  fileHash: z.string(),
  createdAt: z.string(),
  plan: Plan,
});
export type SavedPlan = z.infer<typeof SavedPlan>;

/** Fingerprint of a set of observed resources (order-independent). */
export async function fingerprint(resources: Resource[]): Promise<string> {
  const sorted = [...resources].map((r) => canonicalJson(r)).sort();
  const bytes = new TextEncoder().encode(sorted.join("\n"));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** sha256 of text, hex. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function writeSavedPlan(path: string, saved: SavedPlan) {
  await writeFileAtomic(path, JSON.stringify(saved, null, 2) + "\n");
}

/** Read a saved plan, or return undefined when `path` is not one. */
export async function readSavedPlan(path: string): Promise<SavedPlan | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    const json = JSON.parse(text);
    if (json?.format !== SAVED_PLAN_FORMAT) return undefined;
    return SavedPlan.parse(json);
  } catch (e) {
    throw new Error(`${path}: not a valid saved plan: ${(e as Error).message}`);
  }
}
