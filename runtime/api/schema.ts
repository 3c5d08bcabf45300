/**
 * The control API between ipnctl and ipnd: HTTP + JSON over a Unix socket,
 * versioned by path (/v1/...). Requests and responses are zod schemas, so
 * both sides validate what crosses.
 *
 * @module
 */
import { z } from "zod";
import { Plan, Resource } from "../../dsl/schema.ts";

/** Path prefix of this API version. */
export const API_PREFIX = "/v1";

/** Largest request body ipnd reads. */
export const MAX_BODY = 64 * 1024 * 1024;

export const PlanRequest = z.object({
  plan: Plan,
  /** Plan removing what `plan` declares instead of applying it. */
  destroy: z.boolean().optional(),
}).strict();

export const ApplyRequest = z.object({
  plan: Plan,
  by: z.string().min(1).max(256),
  file: z.string().max(4096).optional(),
  fileHash: z.string().max(128).optional(),
  /** Saved plans: refuse unless the live state still has this fingerprint. */
  expect: z.string().max(128).optional(),
  /** Roll back by itself unless confirmed within this many seconds. */
  confirmSeconds: z.number().int().min(1).max(86400).optional(),
  /** Wait this long for a running apply to finish; 0: refuse at once. */
  lockTimeoutMs: z.number().int().min(0).max(3_600_000).default(0),
}).strict();
export type ApplyRequest = z.infer<typeof ApplyRequest>;

export const DestroyRequest = z.object({
  /** The resources of the file being destroyed, by identity. */
  targets: z.array(z.object({ kind: z.string(), name: z.string() })),
  /** The host of the fleet file the targets were read for; refused by another host's daemon. */
  host: z.string().min(1).max(255).optional(),
  by: z.string().min(1).max(256),
  file: z.string().max(4096).optional(),
  expect: z.string().max(128).optional(),
  lockTimeoutMs: z.number().int().min(0).max(3_600_000).default(0),
}).strict();

export const RollbackRequest = z.object({
  /** Generation to return to; absent: the one before the current. */
  generation: z.number().int().nonnegative().optional(),
  by: z.string().min(1).max(256),
  lockTimeoutMs: z.number().int().min(0).max(3_600_000).default(0),
}).strict();

export const ConfirmRequest = z.object({ by: z.string().min(1).max(256) }).strict();

/** One line of a streamed apply/destroy/rollback response (NDJSON). */
export const ApplyEvent = z.discriminatedUnion("event", [
  z.object({
    event: z.literal("op"),
    index: z.number(),
    total: z.number(),
    label: z.string(),
    action: z.string(),
    ms: z.number(),
  }),
  z.object({ event: z.literal("rollback"), label: z.string(), error: z.string().optional() }),
  z.object({
    event: z.literal("result"),
    generation: z.number(),
    changed: z.boolean(),
    summary: z.object({
      create: z.number(),
      update: z.number(),
      replace: z.number(),
      delete: z.number(),
    }),
    ops: z.number(),
    confirmDeadline: z.string().optional(),
  }),
  z.object({
    event: z.literal("error"),
    code: z.string(),
    message: z.string(),
    step: z.string().optional(),
    rolledBack: z.boolean().optional(),
  }),
]);
export type ApplyEvent = z.infer<typeof ApplyEvent>;

/** Error body of a non-streamed response. */
export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const StatusBody = z.object({
  daemon: z.object({
    pid: z.number(),
    host: z.string(),
    startedAt: z.string(),
    backend: z.enum(["user", "kernel"]),
    runDir: z.string(),
    stateDir: z.string(),
  }),
  generation: z.number(),
  appliedAt: z.string().optional(),
  appliedBy: z.string().optional(),
  file: z.string().optional(),
  pendingConfirm: z.object({ generation: z.number(), previous: z.number(), deadline: z.string() })
    .optional(),
  busy: z.object({ what: z.string(), by: z.string(), since: z.string() }).optional(),
  notices: z.array(z.object({ at: z.string(), message: z.string() })),
  resources: z.number(),
});
export type StatusBody = z.infer<typeof StatusBody>;

export { Resource };
