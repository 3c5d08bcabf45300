/**
 * Progress of a streamed apply, printed to stderr: every step for small
 * applies; for large ones a line every second so the terminal stays calm.
 *
 * @module
 */
import type { ApplyEvent } from "../api/schema.ts";

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
