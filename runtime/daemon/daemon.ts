/**
 * ipnd's core: one reconciler, one writer at a time, the --confirm timer,
 * reload of the last applied file. The HTTP layer (server.ts) only
 * translates requests into calls here.
 *
 * @module
 */
import type { Plan, Resource } from "../../dsl/schema.ts";
import { loadPlan } from "../../dsl/mod.ts";
import type { State } from "../state/store.ts";
import { writeState } from "../state/store.ts";
import type { Diff } from "../plan/diff.ts";
import {
  type ApplyMeta,
  type ApplyResult,
  PlanError,
  type Progress,
  type Reconciler,
} from "../reconcile/reconciler.ts";
import { Mutex } from "./mutex.ts";
import { RequestError } from "./errors.ts";

export interface DaemonInfo {
  pid: number;
  /** The host whose part of a fleet file this daemon applies. */
  host: string;
  startedAt: string;
  backend: "user" | "kernel";
  runDir: string;
  stateDir: string;
}

/** Keep this many notices in the state. */
const MAX_NOTICES = 20;

export class Daemon {
  readonly writer = new Mutex();
  #confirmTimer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly reconciler: Reconciler,
    readonly info: DaemonInfo,
    readonly log: (msg: string) => void,
  ) {}

  /** Start-up work: finish an interrupted apply, re-arm a pending confirm. */
  async start(): Promise<void> {
    const notice = await this.reconciler.recover();
    if (notice) {
      this.log(notice);
      await this.notice(notice);
    }
    await this.#armConfirm();
  }

  stop(): void {
    if (this.#confirmTimer !== undefined) clearTimeout(this.#confirmTimer);
  }

  async status(): Promise<State> {
    return await this.reconciler.readState();
  }

  async notice(message: string): Promise<void> {
    await this.writer.run({ what: "record a notice", by: "ipnd" }, 60_000, async () => {
      const s = await this.reconciler.readState();
      const notices = [...s.notices, { at: new Date().toISOString(), message }].slice(-MAX_NOTICES);
      await writeState(this.reconciler.statePath, { ...s, notices });
    });
  }

  /** Refuse a plan made for another host of a fleet file. */
  forThisHost(host: string | undefined): void {
    if (host === undefined || host === this.info.host) return;
    throw new RequestError(
      409,
      "wrong-host",
      `this ipnd manages host ${this.info.host}; the plan is for ${host} ` +
        `(apply it on ${host}, or preview it here with 'ipnctl plan --host ${host}')`,
    );
  }

  async #check(plan: Plan) {
    this.forThisHost(plan.host);
    const problems = await this.reconciler.problems(plan);
    if (problems.length) throw new PlanError(problems);
  }

  async plan(
    plan: Plan,
    destroy = false,
  ): Promise<{ diff: Diff; fingerprint: string; warnings: string[] }> {
    this.forThisHost(plan.host);
    const desired = destroy ? await this.#without(plan.resources) : plan.resources;
    if (!destroy) await this.#check(plan);
    const { diff, fingerprint } = await this.reconciler.plan(desired);
    const warnings = destroy ? [] : await this.reconciler.warnings(plan);
    return { diff, fingerprint, warnings };
  }

  /** The recorded resources minus `targets`: what stays after a destroy. */
  async #without(targets: { kind: string; name: string }[]): Promise<Resource[]> {
    const s = await this.reconciler.readState();
    const gone = new Set(targets.map((t) => `${t.kind}\u0000${t.name}`));
    return s.resources.filter((r) => !gone.has(`${r.kind}\u0000${r.name}`));
  }

  /** Apply under the writer lock; `lockTimeoutMs` 0 refuses when busy. */
  async apply(
    plan: Plan,
    meta: ApplyMeta,
    opts: {
      expect?: string;
      confirmSeconds?: number;
      lockTimeoutMs: number;
      onProgress?: (p: Progress) => void;
    },
  ): Promise<ApplyResult & { confirmDeadline?: string }> {
    await this.#check(plan);
    return await this.writer.run(
      { what: meta.reason, by: meta.by },
      opts.lockTimeoutMs,
      async () => {
        const r = await this.reconciler.apply(plan.resources, meta, opts);
        this.log(
          `${meta.reason} by ${meta.by}: generation ${r.generation}, ${r.ops} steps` +
            (r.changed ? "" : " (no changes)"),
        );
        if (r.changed) await this.#armConfirm();
        const s = await this.reconciler.readState();
        return { ...r, confirmDeadline: s.pendingConfirm?.deadline };
      },
    );
  }

  /** Remove what a file declared, keeping everything else. */
  async destroy(
    targets: { kind: string; name: string }[],
    meta: ApplyMeta,
    lockTimeoutMs: number,
    onProgress?: (p: Progress) => void,
    expect?: string,
  ): Promise<ApplyResult> {
    return await this.writer.run({ what: "destroy", by: meta.by }, lockTimeoutMs, async () => {
      const keep = await this.#without(targets);
      const r = await this.reconciler.apply(keep, meta, { onProgress, expect });
      this.log(`destroy by ${meta.by}: generation ${r.generation}, ${r.ops} steps`);
      return r;
    });
  }

  /** Return to generation `target` (default: the one before the current). */
  async rollback(
    target: number | undefined,
    meta: ApplyMeta,
    lockTimeoutMs: number,
    onProgress?: (p: Progress) => void,
  ): Promise<ApplyResult> {
    return await this.writer.run({ what: "rollback", by: meta.by }, lockTimeoutMs, async () => {
      const s = await this.reconciler.readState();
      const n = target ?? s.generation - 1;
      const resources = await this.#generationResources(n);
      const r = await this.reconciler.apply(resources, { ...meta, target: n }, { onProgress });
      this.log(`rollback by ${meta.by} to generation ${n}: now generation ${r.generation}`);
      return r;
    });
  }

  async #generationResources(n: number): Promise<Resource[]> {
    if (n === 0) return [];
    if (n < 0) {
      throw new RequestError(
        409,
        "no-generation",
        "there is no earlier generation to roll back to",
      );
    }
    const g = await this.reconciler.generations.read(n);
    if (!g) throw new RequestError(404, "no-generation", `generation ${n} does not exist`);
    return g.resources;
  }

  /** Keep the change made with --confirm. */
  async confirm(by: string): Promise<number> {
    return await this.writer.run({ what: "confirm", by }, 10_000, async () => {
      const s = await this.reconciler.readState();
      if (!s.pendingConfirm) {
        throw new RequestError(409, "nothing-to-confirm", "no apply is waiting for confirmation");
      }
      const g = s.pendingConfirm.generation;
      await writeState(this.reconciler.statePath, { ...s, pendingConfirm: undefined });
      if (this.#confirmTimer !== undefined) clearTimeout(this.#confirmTimer);
      this.#confirmTimer = undefined;
      this.log(`generation ${g} confirmed by ${by}`);
      return g;
    });
  }

  async #armConfirm(): Promise<void> {
    if (this.#confirmTimer !== undefined) clearTimeout(this.#confirmTimer);
    this.#confirmTimer = undefined;
    const s = await this.reconciler.readState();
    if (!s.pendingConfirm) return;
    const wait = Math.max(0, Date.parse(s.pendingConfirm.deadline) - Date.now());
    this.#confirmTimer = setTimeout(() => {
      this.#confirmTimer = undefined;
      this.#autoRollback().catch(async (e) => {
        const msg = `automatic rollback failed: ${(e as Error).message}; ` +
          "the unconfirmed generation may be partly live: run 'ipnctl plan' and 'ipnctl rollback'";
        this.log(msg);
        await this.notice(msg).catch(() => {});
      });
    }, wait);
  }

  async #autoRollback(): Promise<void> {
    await this.writer.run({ what: "auto-rollback", by: "ipnd" }, 3_600_000, async () => {
      const s = await this.reconciler.readState();
      const pc = s.pendingConfirm;
      if (!pc || pc.generation !== s.generation) return;
      const resources = await this.#generationResources(pc.previous);
      // Clear the pending confirm first so the rollback itself does not carry it.
      await writeState(this.reconciler.statePath, { ...s, pendingConfirm: undefined });
      const r = await this.reconciler.apply(resources, {
        by: "ipnd",
        reason: "auto-rollback",
        target: pc.previous,
      });
      const msg = `generation ${pc.generation} was not confirmed by ${pc.deadline}: ` +
        `rolled back to generation ${pc.previous} (now generation ${r.generation}, verified)`;
      this.log(msg);
      const after = await this.reconciler.readState();
      const notices = [...after.notices, { at: new Date().toISOString(), message: msg }].slice(
        -MAX_NOTICES,
      );
      await writeState(this.reconciler.statePath, { ...after, notices });
    });
  }

  /** SIGHUP: apply the last applied file again, as it is now on disk. */
  async reload(): Promise<string> {
    const s = await this.reconciler.readState();
    if (!s.file) return "reload: nothing applied yet";
    const loaded = await loadPlan(s.file, { host: this.info.host });
    if (!loaded.plan) {
      const first = loaded.diagnostics.find((d) => d.severity === "error");
      return `reload: ${s.file} has errors (${first?.file}:${first?.start.line}:${first?.start.col}: ${first?.message}); nothing changed`;
    }
    const r = await this.apply(
      loaded.plan,
      { by: "ipnd (SIGHUP)", reason: "reload", file: s.file },
      { lockTimeoutMs: 60_000 },
    );
    return `reload of ${s.file}: generation ${r.generation}` + (r.changed ? "" : " (no changes)");
  }
}
