/**
 * `ipnctl apply FILE`: make the live system match FILE (or a saved plan).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { connect, parseDuration, requester } from "../connect.ts";
import { loadForCommand } from "../load.ts";
import { progressPrinter, summaryText } from "../progress.ts";
import { renderDiff } from "../../plan/render.ts";
import { type Diff, isEmpty } from "../../plan/diff.ts";
import { ApiError } from "../../api/client.ts";
import { printWarnings, runningDaemonHost } from "../host.ts";

const HELP = `usage: ipnctl apply [options] FILE

Make the live system match FILE: show the plan, apply it as one transaction
(every step verified; any failure rolls back every completed step), and
record it as a new generation. FILE may be a plan saved by 'ipnctl plan -o';
it is then applied exactly, or refused if the live system changed since.

options:
  --confirm DURATION     roll back by itself unless 'ipnctl confirm' arrives in time (e.g. 120s)
  --lock-timeout DURATION  wait this long for another apply to finish (default: refuse at once)
  --host NAME            apply the part of FILE for host NAME (default: the host of
                         the running ipnd); ipnd refuses another host's part
  --backend B            backend for a daemon started now: auto, user, kernel
  --no-color             plain output`;

const command: Command = {
  summary: "make the live system match a file",
  async run(args) {
    const { values, positionals } = parse("apply", args, {
      confirm: { type: "string" },
      "lock-timeout": { type: "string" },
      host: { type: "string" },
      backend: { type: "string" },
      "no-color": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new CliError("apply: expects exactly one FILE (see --help)");
    if (values.backend && !["auto", "user", "kernel"].includes(values.backend)) {
      throw new CliError(`apply: --backend must be auto, user or kernel`);
    }
    const confirmMs = values.confirm ? parseDuration(values.confirm, "--confirm") : undefined;
    if (confirmMs !== undefined && (confirmMs < 1000 || confirmMs > 86_400_000)) {
      throw new CliError("apply: --confirm must be between 1s and 24h");
    }
    const lockTimeoutMs = values["lock-timeout"] ? parseDuration(values["lock-timeout"], "--lock-timeout") : 0;
    const color = !values["no-color"] && useColor();

    // Without --host, the part of the file for the host the running daemon manages.
    const served = await runningDaemonHost();
    const loaded = await loadForCommand(positionals[0], { host: values.host ?? served, allowSaved: true });
    const client = await connect({ start: true, backend: values.backend ?? loaded.plan.backend, host: values.host });
    try {
      const { diff, fingerprint, warnings } = await client.call<{ diff: Diff; fingerprint: string; warnings?: string[] }>(
        "POST",
        "/plan",
        { plan: loaded.plan },
      );
      printWarnings(warnings);
      if (loaded.saved && loaded.saved.fingerprint !== fingerprint) {
        throw new CliError(
          `${positionals[0]}: the saved plan is stale: the live system changed since it was made; run 'ipnctl plan' again`,
        );
      }
      if (isEmpty(diff) && confirmMs === undefined) {
        Deno.stdout.writeSync(new TextEncoder().encode(renderDiff(diff, { color })));
      } else {
        Deno.stdout.writeSync(new TextEncoder().encode(renderDiff(diff, { color }) + "\n"));
      }
      const last = await client.stream("/apply", {
        plan: loaded.plan,
        by: requester(),
        file: loaded.file.startsWith("/") ? loaded.file : `${Deno.cwd()}/${loaded.file}`,
        fileHash: loaded.fileHash,
        // Apply exactly what was shown: refuse if the world moved in between.
        expect: loaded.saved?.fingerprint ?? fingerprint,
        confirmSeconds: confirmMs !== undefined ? Math.ceil(confirmMs / 1000) : undefined,
        lockTimeoutMs,
      }, progressPrinter());
      if (last.event === "error") {
        const rolled = last.rolledBack === true ? "" : last.rolledBack === false ? " (rollback incomplete)" : "";
        throw new CliError(`apply failed${rolled}: ${last.message}`);
      }
      if (last.event !== "result") throw new CliError("apply: unexpected reply from ipnd");
      if (!last.changed) {
        if (!isEmpty(diff)) console.log("Nothing to do.");
        return 0;
      }
      console.log(`Apply complete: generation ${last.generation} (${summaryText(last.summary)}).`);
      if (last.confirmDeadline) {
        console.log(
          `Run 'ipnctl confirm' before ${last.confirmDeadline} to keep it; otherwise ipnd rolls it back by itself.`,
        );
      }
      return 0;
    } catch (e) {
      if (e instanceof ApiError) throw new CliError(`apply: ${e.message}`);
      throw e;
    } finally {
      client.close();
    }
  },
};
export default command;
