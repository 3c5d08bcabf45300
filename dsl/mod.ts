/**
 * The ipn language: load a file into a Plan, with diagnostics; format it.
 *
 * Nothing here throws on bad input or on a bug: every failure is a located
 * diagnostic (at worst one `internal-error`).
 *
 * @module
 */
import { type Diagnostic, error, fileStart, hasErrors, sortDiagnostics } from "./diagnostics.ts";
import { diskFiles, type FileSource, memoryFiles } from "./files.ts";
import { type Loaded, loadFiles } from "./loader.ts";
import { buildPlan } from "./plan.ts";
import type { Plan } from "./schema.ts";

export { type Diagnostic, diagnosticsToJson, type Position, type Related } from "./diagnostics.ts";
export { renderDiagnostics, summarize } from "./render.ts";
export { formatSource } from "./format.ts";
export type { Plan } from "./schema.ts";

/** What loading a file gives: a plan when there is no error, and diagnostics. */
export interface LoadResult {
  /** Undefined when any diagnostic is an error. */
  plan?: Plan;
  /** Sorted by file (in reading order) and position. */
  diagnostics: Diagnostic[];
  /** Text of every file read, by displayed path (for rendering diagnostics). */
  sources: Map<string, string>;
  /** Names of the host blocks the files declare, sorted. */
  hosts: string[];
}

/** Options of {@link loadPlan} and {@link parseSource}. */
export interface LoadOptions {
  /**
   * The host to plan for; statements in other hosts' `host` blocks are left
   * out. Defaults to this machine's hostname.
   */
  host?: string;
  /** Replaces the file's `backend` statement. */
  backendOverride?: Plan["backend"];
}

/** Options of {@link parseSource}: also the files `include` may read. */
export interface SourceOptions extends LoadOptions {
  /** Files by path, for `include`; nothing is read from disk. */
  files?: Map<string, string> | Record<string, string>;
}

function defaultHost(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}

function internal(file: string, e: unknown, sources: Map<string, string>): LoadResult {
  const msg = e instanceof Error ? e.message : String(e);
  const d = error(fileStart(file), "internal-error", `internal error: ${msg}`, {
    hint: "this is a bug in ipn; please report it with the file",
  });
  return { diagnostics: [d], sources, hosts: [] };
}

function finish(loaded: Loaded, root: string, opts: LoadOptions): LoadResult {
  const hosts = [...loaded.hosts.keys()].sort();
  const host = opts.host ?? (hosts.length > 0 ? defaultHost() : undefined);
  const built = buildPlan(loaded, { host, backendOverride: opts.backendOverride, root });
  const all = [...loaded.diagnostics, ...built.diagnostics];
  const diagnostics = sortDiagnostics(all, [...loaded.sources.keys()]);
  return {
    plan: hasErrors(diagnostics) ? undefined : built.plan,
    diagnostics,
    sources: loaded.sources,
    hosts,
  };
}

function run(
  files: () => FileSource,
  path: string,
  text: string | undefined,
  opts: LoadOptions,
): LoadResult {
  let loaded: Loaded | undefined;
  try {
    loaded = loadFiles(files(), path, text);
    return finish(loaded, path, opts);
  } catch (e) {
    return internal(path, e, loaded?.sources ?? new Map(text === undefined ? [] : [[path, text]]));
  }
}

/**
 * Load the file at `path` and everything it includes (paths in diagnostics
 * and `sources` are shown as given, includes relative to it).
 */
export function loadPlan(path: string, opts: LoadOptions = {}): Promise<LoadResult> {
  return Promise.resolve(run(() => diskFiles, path, undefined, opts));
}

/**
 * Load a file given as text. Includes are resolved only against
 * `opts.files` (an in-memory set of files); nothing is read from disk, so an
 * `include` of anything else is reported as unreadable.
 */
export function parseSource(text: string, file: string, opts: SourceOptions = {}): LoadResult {
  return run(() => memoryFiles(opts.files ?? {}), file, text, opts);
}

/**
 * Load once and check for every host: the host-less view plus each declared
 * host's. Diagnostics are merged without repeats; `plans` maps each host
 * (or "" for none) to its plan when valid.
 */
export function loadForAllHosts(
  path: string,
  opts: Omit<LoadOptions, "host"> = {},
): LoadResult & { plans: Map<string, Plan> } {
  let loaded: Loaded | undefined;
  try {
    loaded = loadFiles(diskFiles, path);
    const hosts = [...loaded.hosts.keys()].sort();
    const views = hosts.length ? hosts : [""];
    const plans = new Map<string, Plan>();
    const all: Diagnostic[] = [...loaded.diagnostics];
    for (const h of views) {
      const b = buildPlan(loaded, {
        host: h || undefined,
        backendOverride: opts.backendOverride,
        root: path,
      });
      all.push(...b.diagnostics);
      if (b.plan) plans.set(h, b.plan);
    }
    const diagnostics = sortDiagnostics(all, [...loaded.sources.keys()]);
    if (hasErrors(diagnostics)) plans.clear();
    return { diagnostics, sources: loaded.sources, hosts, plans };
  } catch (e) {
    return { ...internal(path, e, loaded?.sources ?? new Map()), plans: new Map() };
  }
}
