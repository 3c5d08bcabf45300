/**
 * Observe -> diff -> apply -> verify -> commit, or roll back.
 *
 * One transaction at a time. The journal's `begin` record (fsynced before
 * the first step) holds every step with the state it found, so rollback, in
 * the same process after a failure or in the next one after a crash, is the
 * same thing: converge every touched resource back to what it was.
 *
 * @module
 */
import { join } from "node:path";
import {
  compareResources,
  KIND_ORDER,
  type Plan,
  type Resource,
  type ResourceKind,
} from "../../dsl/schema.ts";
import { type Diff, diff, sameValue } from "../plan/diff.ts";
import { fingerprint } from "../plan/saved.ts";
import { Generations } from "../state/generations.ts";
import { Journal, type JournalHook, type JournalOp } from "../state/journal.ts";
import { readState, type State, writeState } from "../state/store.ts";
import { converge, verify } from "./converge.ts";
import type { AnyHandler, Ctx, HandlerTable } from "./handlers/handler.ts";
import { type Op, opLabel, opsOf } from "./ops.ts";

/** Where a reconciler keeps its durable state. */
export interface Store {
  dir: string;
}

/** Test hooks: fail a step, or be killed after a journal record. */
export interface Faults {
  /** Throw while executing op N (0-based). */
  failOp?: number;
  /** Called after every journal record is written (count from 1). */
  onJournal?: JournalHook;
}

/** Progress of an apply, for the client. */
export type Progress =
  | { event: "op"; index: number; total: number; label: string; action: Op["action"]; ms: number }
  | { event: "rollback"; label: string; error?: string };

export interface ApplyMeta {
  by: string;
  reason: "apply" | "destroy" | "rollback" | "auto-rollback" | "reload";
  file?: string;
  fileHash?: string;
  target?: number;
}

export interface ApplyResult {
  generation: number;
  changed: boolean;
  summary: Diff["summary"];
  ops: number;
}

/** An apply that failed and was rolled back. */
export class ApplyError extends Error {
  constructor(
    message: string,
    readonly step: string | undefined,
    readonly rolledBack: boolean,
    readonly rollbackErrors: string[],
  ) {
    super(message);
  }
}

/** A saved plan whose observed state no longer matches. */
export class StaleError extends Error {}

/** A plan that cannot be carried out: unsupported objects, missing interfaces, overlaps. */
export class PlanError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const keyOf = (kind: string, name: string) => `${kind}\u0000${name}`;

export class Reconciler {
  readonly generations: Generations;
  constructor(
    readonly ctx: Ctx,
    readonly handlers: HandlerTable,
    readonly store: Store,
    readonly faults: Faults = {},
  ) {
    this.generations = new Generations(join(store.dir, "generations"));
  }

  get statePath(): string {
    return join(this.store.dir, "state.json");
  }
  get journalPath(): string {
    return join(this.store.dir, "journal");
  }

  readState(): Promise<State> {
    return readState(this.statePath);
  }

  #handler(kind: ResourceKind): AnyHandler {
    const h = this.handlers[kind];
    if (!h) throw new Error(`no handler for ${kind}`);
    return h;
  }

  /** Bring desired resources to their canonical (observable) form. */
  canonical(rs: Resource[]): Resource[] {
    return rs.map((r) => this.handlers[r.kind]?.canonical(r) ?? r).sort(compareResources);
  }

  /**
   * Why `plan` cannot be applied here, before anything changes: objects the
   * backend cannot provide (named with the backend) and each handler's own
   * checks (missing interfaces, overlapping rules, ...).
   */
  async problems(plan: Plan): Promise<string[]> {
    const backend = this.ctx.dp.backend;
    const out: string[] = [];
    if (plan.backend !== "auto" && plan.backend !== backend) {
      out.push(
        `the configuration asks for the ${plan.backend} backend, but ipnd runs the ${backend} backend`,
      );
    }
    for (const r of plan.resources) {
      const h = this.handlers[r.kind];
      const why = h
        ? h.unsupported?.(backend, r)
        : `${r.kind} objects are not supported by the ${backend} backend`;
      if (why) out.push(`${r.kind}.${r.name}${r.source ? ` (${r.source})` : ""}: ${why}`);
    }
    if (out.length) return out;
    this.#setRefs(plan.resources, []);
    for (const kind of KIND_ORDER) {
      const mine = plan.resources.filter((r) => r.kind === kind);
      if (mine.length) out.push(...((await this.handlers[kind]?.problems?.(this.ctx, mine)) ?? []));
    }
    return out;
  }

  /** What each handler warns about in `plan` on the live system; nothing is refused. */
  async warnings(plan: Plan): Promise<string[]> {
    this.#setRefs(plan.resources, []);
    const out: string[] = [];
    for (const kind of KIND_ORDER) {
      const mine = plan.resources.filter((r) => r.kind === kind);
      if (mine.length) out.push(...((await this.handlers[kind]?.warnings?.(this.ctx, mine)) ?? []));
    }
    return out;
  }

  /** Let handlers look resources up by name while an operation runs. */
  #setRefs(want: Resource[], recorded: Resource[]) {
    const refs = new Map<ResourceKind, Map<string, Resource>>();
    for (const r of mergeRefs(want, recorded)) {
      if (!refs.has(r.kind)) refs.set(r.kind, new Map());
      refs.get(r.kind)!.set(r.name, r);
    }
    this.ctx.refs = refs;
  }

  /** The live resources ipn owns, observed now. */
  async observe(refs: Resource[]): Promise<Resource[]> {
    const byKind = new Map<ResourceKind, Map<string, Resource>>();
    for (const r of refs) {
      if (!byKind.has(r.kind)) byKind.set(r.kind, new Map());
      byKind.get(r.kind)!.set(r.name, r);
    }
    const live: Resource[] = [];
    for (const kind of KIND_ORDER) {
      const h = this.handlers[kind];
      if (!h) continue;
      live.push(...(await h.observe(this.ctx, byKind.get(kind) ?? new Map())));
    }
    return live.sort(compareResources);
  }

  /** Diff the live system against desired resources. */
  async plan(
    desired: Resource[],
  ): Promise<{ diff: Diff; fingerprint: string; live: Resource[]; state: State }> {
    const state = await this.readState();
    const want = this.canonical(desired);
    const refs = mergeRefs(want, state.resources);
    this.#setRefs(want, state.resources);
    const live = await this.observe(refs);
    const recorded = this.canonical(state.resources);
    return {
      diff: diff(live, want, { recorded }),
      fingerprint: await fingerprint(live),
      live,
      state,
    };
  }

  /**
   * Apply desired resources as a transaction. With `expect`, refuse unless
   * the live state still has that fingerprint (a saved plan).
   */
  async apply(
    desired: Resource[],
    meta: ApplyMeta,
    opts: { expect?: string; onProgress?: (p: Progress) => void; confirmSeconds?: number } = {},
  ): Promise<ApplyResult> {
    const { diff: d, fingerprint: fp, state } = await this.plan(desired);
    if (opts.expect && opts.expect !== fp) {
      throw new StaleError(
        "the saved plan is stale: the live system changed since it was made; plan again",
      );
    }
    const ops = opsOf(d);
    const want = this.canonical(desired);
    const sameAsRecorded = sameValue(
      stripSource(want),
      stripSource(this.canonical(state.resources)),
    );
    if (ops.length === 0 && sameAsRecorded && !opts.confirmSeconds) {
      return { generation: state.generation, changed: false, summary: d.summary, ops: 0 };
    }

    const generation = state.generation + 1;
    const journal = new Journal(this.journalPath, this.faults.onJournal);
    await journal.open();
    const jops: JournalOp[] = ops.map((o) => ({ ...o }));
    await journal.append({
      t: "begin",
      txid: crypto.randomUUID(),
      generation,
      ops: jops,
      at: new Date().toISOString(),
    });

    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      const label = opLabel(op);
      const t0 = performance.now();
      await journal.append({ t: "start", i });
      try {
        if (this.faults.failOp === i) throw new Error("injected failure");
        const h = this.#handler(op.kind);
        await converge(this.ctx, h, op.name, op.after, op.before);
        await verify(this.ctx, h, op.name, op.after);
      } catch (e) {
        const msg = (e as Error).message;
        const errors = await this.#rollback(journal, ops, `${label}: ${msg}`, opts.onProgress);
        await journal.finish();
        throw new ApplyError(
          `${label}: ${op.action} failed: ${msg}` +
            (errors.length
              ? `; rollback incomplete:\n  ${errors.join("\n  ")}`
              : "; every completed step was rolled back"),
          label,
          errors.length === 0,
          errors,
        );
      }
      await journal.append({ t: "done", i });
      opts.onProgress?.({
        event: "op",
        index: i + 1,
        total: ops.length,
        label,
        action: op.action,
        ms: performance.now() - t0,
      });
    }

    const now = new Date().toISOString();
    await this.generations.write({
      generation,
      at: now,
      by: meta.by,
      reason: meta.reason,
      file: meta.file,
      fileHash: meta.fileHash,
      backend: this.ctx.dp.backend,
      summary: d.summary,
      target: meta.target,
      resources: want,
    });
    const next: State = {
      ...state,
      generation,
      appliedAt: now,
      appliedBy: meta.by,
      file: meta.file ?? state.file,
      fileHash: meta.fileHash ?? state.fileHash,
      backend: this.ctx.dp.backend,
      resources: want,
      pendingConfirm: opts.confirmSeconds
        ? {
          generation,
          previous: state.generation,
          deadline: new Date(Date.now() + opts.confirmSeconds * 1000).toISOString(),
        }
        : undefined,
    };
    await writeState(this.statePath, next);
    await journal.append({ t: "commit" });
    await journal.finish();
    return { generation, changed: true, summary: d.summary, ops: ops.length };
  }

  /**
   * Converge every resource the ops touched back to what it was before the
   * transaction: removals first (children before parents), then
   * restorations (parents before children). Returns what could not be undone.
   */
  async #rollback(
    journal: Journal | undefined,
    ops: JournalOp[],
    reason: string,
    onProgress?: (p: Progress) => void,
  ): Promise<string[]> {
    await journal?.append({ t: "rollback", reason });
    const original = new Map<string, { kind: ResourceKind; name: string; before?: Resource }>();
    for (const op of ops) {
      const k = keyOf(op.kind, op.name);
      if (!original.has(k)) {
        original.set(k, { kind: op.kind as ResourceKind, name: op.name, before: op.before });
      }
    }
    const rank = (k: ResourceKind) => KIND_ORDER.indexOf(k);
    const entries = [...original.values()];
    const removals = entries.filter((e) => !e.before).sort((a, b) => rank(b.kind) - rank(a.kind));
    const restores = entries.filter((e) => e.before).sort((a, b) => rank(a.kind) - rank(b.kind));
    const errors: string[] = [];
    for (const e of [...removals, ...restores]) {
      const label = `${e.kind}.${e.name}`;
      // The resource created by the failed transaction, if any, guides observation.
      const ref = ops.find((o) => o.kind === e.kind && o.name === e.name && o.after)?.after;
      try {
        const h = this.#handler(e.kind);
        await converge(this.ctx, h, e.name, e.before, ref);
        await verify(this.ctx, h, e.name, e.before);
        onProgress?.({ event: "rollback", label });
      } catch (err) {
        const msg = (err as Error).message;
        errors.push(`${label}: ${msg}`);
        onProgress?.({ event: "rollback", label, error: msg });
      }
    }
    return errors;
  }

  /**
   * Finish what a crash interrupted: a committed transaction is closed, any
   * other is rolled back. Returns a notice for the log, or undefined.
   */
  async recover(): Promise<string | undefined> {
    const replay = await Journal.replay(this.journalPath);
    if (!replay) return undefined;
    const journal = new Journal(this.journalPath);
    if (!replay.begin) {
      await journal.finish();
      return "removed an empty journal left by an interrupted apply";
    }
    const state = await this.readState();
    const gen = replay.begin.generation;
    if (replay.committed || state.generation >= gen) {
      await journal.finish();
      return `generation ${gen} had committed before the interruption; kept`;
    }
    const errors = await this.#rollback(
      undefined,
      replay.begin.ops,
      "recovery after an interrupted apply",
    );
    await Deno.remove(join(this.store.dir, "generations", `${String(gen).padStart(6, "0")}.json`))
      .catch(() => {});
    await journal.finish();
    if (errors.length) {
      return `rolled back the interrupted apply of generation ${gen} with errors:\n  ${
        errors.join("\n  ")
      }`;
    }
    return `rolled back the interrupted apply of generation ${gen}; generation ${state.generation} is live`;
  }
}

function stripSource(rs: Resource[]): Resource[] {
  return rs.map(({ source: _s, ...r }) => r as Resource);
}

/** References for observation: desired first, else what was recorded. */
function mergeRefs(want: Resource[], recorded: Resource[]): Resource[] {
  const seen = new Set(want.map((r) => keyOf(r.kind, r.name)));
  return [...want, ...recorded.filter((r) => !seen.has(keyOf(r.kind, r.name)))];
}
