/**
 * The control API over HTTP on a Unix socket. Every request body is size
 * limited, parsed as JSON and validated against the API schema before
 * anything is touched; every failure is a JSON error with a stable code.
 *
 * @module
 */
import { z } from "zod";
import {
  API_PREFIX,
  ApplyEvent,
  ApplyRequest,
  ConfirmRequest,
  DestroyRequest,
  MAX_BODY,
  PlanRequest,
  RollbackRequest,
} from "../api/schema.ts";
import type { Daemon } from "./daemon.ts";
import { RequestError } from "./errors.ts";
import { ApplyError, PlanError, StaleError } from "../reconcile/reconciler.ts";
import type { Progress } from "../reconcile/reconciler.ts";
import { showLive } from "./show.ts";

function json(status: number, body: unknown): Response {
  return new Response(
    JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? Number(v) : v)) + "\n",
    {
      status,
      headers: { "content-type": "application/json" },
    },
  );
}

function error(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** Read at most MAX_BODY bytes of JSON and validate it. */
async function body<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  const len = Number(req.headers.get("content-length") ?? "0");
  if (len > MAX_BODY) {
    throw new RequestError(413, "too-large", `request body over ${MAX_BODY} bytes`);
  }
  const type = req.headers.get("content-type") ?? "";
  if (!type.startsWith("application/json")) {
    throw new RequestError(415, "bad-content-type", "requests must be application/json");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    for await (const c of req.body) {
      size += c.length;
      if (size > MAX_BODY) {
        throw new RequestError(413, "too-large", `request body over ${MAX_BODY} bytes`);
      }
      chunks.push(c);
    }
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw new RequestError(
      400,
      "bad-json",
      `request body is not valid JSON: ${(e as Error).message}`,
    );
  }
  const r = schema.safeParse(parsed);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new RequestError(
      400,
      "bad-request",
      `invalid request at ${i.path.join(".") || "top level"}: ${i.message}`,
    );
  }
  return r.data;
}

/**
 * Stream a long operation as NDJSON: progress lines, then one result or
 * error line. The status is 200 once streaming starts; the last line tells.
 */
function streamed(
  run: (progress: (p: Progress) => void) => Promise<Record<string, unknown>>,
): Response {
  const enc = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(ctl) {
      const send = (e: ApplyEvent) => {
        try {
          ctl.enqueue(enc.encode(JSON.stringify(e) + "\n"));
        } catch { /* client went away; the operation still completes */ }
      };
      try {
        const r = await run((p) => send(p as ApplyEvent));
        send({ event: "result", ...r } as ApplyEvent);
      } catch (e) {
        send(errorEvent(e));
      }
      try {
        ctl.close();
      } catch { /* already closed */ }
    },
  });
  return new Response(stream, { status: 200, headers: { "content-type": "application/x-ndjson" } });
}

function errorEvent(e: unknown): ApplyEvent {
  if (e instanceof ApplyError) {
    return {
      event: "error",
      code: "apply-failed",
      message: e.message,
      step: e.step,
      rolledBack: e.rolledBack,
    };
  }
  if (e instanceof StaleError) return { event: "error", code: "stale-plan", message: e.message };
  if (e instanceof PlanError) return { event: "error", code: "unsupported", message: e.message };
  if (e instanceof RequestError) return { event: "error", code: e.code, message: e.message };
  return { event: "error", code: "internal", message: (e as Error).message ?? String(e) };
}

/** Route one request. */
export async function handle(d: Daemon, req: Request): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname;
  if (!path.startsWith(API_PREFIX + "/")) {
    return error(404, "not-found", `unknown path ${path}; this daemon serves ${API_PREFIX}/`);
  }
  const route = `${req.method} ${path.slice(API_PREFIX.length)}`;
  try {
    switch (route) {
      case "GET /status": {
        const s = await d.status();
        const h = d.writer.holder;
        return json(200, {
          daemon: d.info,
          generation: s.generation,
          appliedAt: s.appliedAt,
          appliedBy: s.appliedBy,
          file: s.file,
          pendingConfirm: s.pendingConfirm,
          busy: h ? { what: h.what, by: h.by, since: h.since } : undefined,
          notices: s.notices,
          resources: s.resources.length,
        });
      }
      case "POST /plan": {
        const r = await body(req, PlanRequest);
        return json(200, await d.plan(r.plan, r.destroy));
      }
      case "POST /apply": {
        const r = await body(req, ApplyRequest);
        return streamed((onProgress) =>
          d.apply(r.plan, { by: r.by, reason: "apply", file: r.file, fileHash: r.fileHash }, {
            expect: r.expect,
            confirmSeconds: r.confirmSeconds,
            lockTimeoutMs: r.lockTimeoutMs,
            onProgress,
          }) as unknown as Promise<Record<string, unknown>>
        );
      }
      case "POST /destroy": {
        const r = await body(req, DestroyRequest);
        d.forThisHost(r.host);
        return streamed((onProgress) =>
          d.destroy(
            r.targets,
            { by: r.by, reason: "destroy", file: r.file },
            r.lockTimeoutMs,
            onProgress,
            r.expect,
          ) as unknown as Promise<
            Record<string, unknown>
          >
        );
      }
      case "POST /rollback": {
        const r = await body(req, RollbackRequest);
        return streamed((onProgress) =>
          d.rollback(
            r.generation,
            { by: r.by, reason: "rollback" },
            r.lockTimeoutMs,
            onProgress,
          ) as unknown as Promise<
            Record<string, unknown>
          >
        );
      }
      case "POST /confirm": {
        const r = await body(req, ConfirmRequest);
        return json(200, { confirmed: await d.confirm(r.by) });
      }
      case "GET /history":
        return json(200, { generations: await d.reconciler.generations.list() });
      case "GET /show":
        return json(200, await showLive(d.reconciler));
      default: {
        const known = [
          "GET /status",
          "POST /plan",
          "POST /apply",
          "POST /destroy",
          "POST /rollback",
          "POST /confirm",
          "GET /history",
          "GET /show",
        ];
        const samePath = known.filter((k) => k.endsWith(" " + path.slice(API_PREFIX.length)));
        if (samePath.length) {
          return error(405, "method-not-allowed", `${req.method} not allowed on ${path}`);
        }
        return error(404, "not-found", `unknown path ${path}`);
      }
    }
  } catch (e) {
    if (e instanceof RequestError) return error(e.status, e.code, e.message);
    if (e instanceof PlanError) return error(422, "unsupported", e.message);
    d.log(`internal error on ${route}: ${(e as Error).stack ?? e}`);
    return error(500, "internal", (e as Error).message ?? String(e));
  }
}
