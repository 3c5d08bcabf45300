/**
 * `ipnctl apply FILE`: make the live system match FILE (or a saved plan).
 *
 * @module
 */
import type { Command } from "./mod.ts";
import { CliError } from "../errors.ts";
import { parse, useColor } from "../args.ts";
import { parseDuration, requester, withDaemon } from "../connect.ts";
import { loadForCommand } from "../load.ts";
import { streamed, summaryText } from "../progress.ts";
import { renderDiff } from "../../plan/render.ts";
import { type Diff, isEmpty } from "../../plan/diff.ts";
import { printWarnings, runningDaemonHost } from "../host.ts";

const HELP = `usage: ipnctl apply [options] FILE

Make the live system match FILE: show the plan, apply it as one transaction
(every step verified; any failure rolls back every completed step), and
record it as a new generation. FILE may be a plan saved by 'ipnctl plan -o';
it is then applied exactly, or refused if the live system changed since.

options:
  --confirm DURATION     roll back by itself unless 'ipnctl confirm' arrives in time (e.g. 120s)
  --lock-timeout DURATION  wait this long for another apply to finish (default: refuse at once)
  --host NAME            apply the part of FILE for host NAME
  --backend B            backend for a daemon started now: auto, user, kernel
  --no-color             plain output`;

const command: Command = {
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
    if (positionals.length !== 1) {
      throw new CliError("apply: expects exactly one FILE (see --help)");
    }
    if (values.backend && !["auto", "user", "kernel"].includes(values.backend)) {
      throw new CliError(`apply: --backend must be auto, user or kernel`);
    }
    const confirmMs = values.confirm ? parseDuration(values.confirm, "--confirm") : undefined;
    if (confirmMs !== undefined && (confirmMs < 1000 || confirmMs > 86_400_000)) {
      throw new CliError("apply: --confirm must be between 1s and 24h");
    }
    const lockTimeoutMs = values["lock-timeout"]
      ? parseDuration(values["lock-timeout"], "--lock-timeout")
      : 0;
    const color = !values["no-color"] && useColor();

    // Without --host, the part of the file for the host the running daemon manages.
    const served = await runningDaemonHost();
    const loaded = await loadForCommand(positionals[0], {
      host: values.host ?? served,
      allowSaved: true,
    });
    const start = {
      start: true,
      backend: values.backend ?? loaded.plan.backend,
      host: values.host,
    };
    return await withDaemon("apply", start, async (client) => {
      const { diff, fingerprint, warnings } = await client.call<
        { diff: Diff; fingerprint: string; warnings?: string[] }
      >("POST", "/plan", { plan: loaded.plan });
      printWarnings(warnings);
      if (loaded.saved && loaded.saved.fingerprint !== fingerprint) {
        throw new CliError(
          `${
            positionals[0]
          }: the saved plan is stale: the live system changed since it was made; ` +
            "run 'ipnctl plan' again",
        );
      }
      const shown = renderDiff(diff, { color });
      Deno.stdout.writeSync(new TextEncoder().encode(isEmpty(diff) ? shown : shown + "\n"));
      const last = await streamed(client, "apply", "/apply", {
        plan: loaded.plan,
        by: requester(),
        file: loaded.file.startsWith("/") ? loaded.file : `${Deno.cwd()}/${loaded.file}`,
        fileHash: loaded.fileHash,
        // Apply exactly what was shown: refuse if the world moved in between.
        expect: loaded.saved?.fingerprint ?? fingerprint,
        confirmSeconds: confirmMs !== undefined ? Math.ceil(confirmMs / 1000) : undefined,
        lockTimeoutMs,
      });
      if (!last.changed) return 0;
      console.log(`Apply complete: generation ${last.generation} (${summaryText(last.summary)}).`);
      if (last.confirmDeadline) {
        console.log(
          `Run 'ipnctl confirm' before ${last.confirmDeadline} to keep it; otherwise ipnd rolls it back by itself.`,
        );
      }
      return 0;
    });
  },
};
export default command;
