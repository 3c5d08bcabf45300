/**
 * Progress of a streamed apply, printed to stderr: every step for small
 * applies; for large ones a line every second so the terminal stays calm.
 *
 * @module
 */
import type { ApplyEvent } from "../api/schema.ts";
import type { Client } from "../api/client.ts";
import { CliError } from "./errors.ts";

/** The last line of a successful streamed operation. */
export type ResultEvent = Extract<ApplyEvent, { event: "result" }>;

/**
 * Run a streamed operation (apply, destroy, rollback) with progress on
 * stderr; its failure becomes a CliError naming `command`.
 */
export async function streamed(
  client: Client,
  command: string,
  route: string,
  body: unknown,
): Promise<ResultEvent> {
  const last = await client.stream(route, body, progressPrinter());
  if (last.event === "error") {
    const rolled = last.rolledBack === false ? " (rollback incomplete)" : "";
    throw new CliError(`${command} failed${rolled}: ${last.message}`);
  }
  if (last.event !== "result") throw new CliError(`${command}: unexpected reply from ipnd`);
  return last;
}

const PAST: Record<string, string> = { create: "created", update: "updated", delete: "deleted" };

export function progressPrinter(): (e: ApplyEvent) => void {
  let lastLine = 0;
  const t0 = Date.now();
  return (e) => {
    if (e.event === "op") {
      if (e.total <= 25) {
        console.error(`  ${e.label}: ${PAST[e.action] ?? e.action} (${e.ms.toFixed(0)} ms)`);
      } else if (Date.now() - lastLine >= 1000 || e.index === e.total) {
        lastLine = Date.now();
        console.error(
          `  ${e.index}/${e.total} steps done (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
    } else if (e.event === "rollback") {
      console.error(`  rolled back ${e.label}${e.error ? `: FAILED: ${e.error}` : ""}`);
    }
  };
}

export function summaryText(
  s: { create: number; update: number; replace: number; delete: number },
): string {
  return `${s.create} created, ${s.update} updated, ${s.replace} replaced, ${s.delete} deleted`;
}
