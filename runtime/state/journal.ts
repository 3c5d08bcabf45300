/**
 * The write-ahead journal of one apply. Each record is a JSON line, fsynced
 * before the step it announces runs, so after a crash the next start knows
 * which steps may have happened and undoes them (or, when the commit record
 * made it, finishes the commit).
 *
 * @module
 */
import { z } from "zod";
import { Resource } from "../../dsl/schema.ts";
import { syncDir } from "./atomic.ts";
import { dirname } from "node:path";

export const JournalOp = z.object({
  kind: z.string(),
  name: z.string(),
  action: z.enum(["create", "update", "delete"]),
  before: Resource.optional(),
  after: Resource.optional(),
});

export const Record = z.discriminatedUnion("t", [
  z.object({
    t: z.literal("begin"),
    txid: z.string(),
    /** Generation this transaction commits as. */
    generation: z.number().int(),
    ops: z.array(JournalOp),
    at: z.string(),
  }),
  z.object({ t: z.literal("start"), i: z.number().int() }),
  z.object({ t: z.literal("done"), i: z.number().int() }),
  z.object({ t: z.literal("rollback"), reason: z.string() }),
  z.object({ t: z.literal("undone"), i: z.number().int() }),
  z.object({ t: z.literal("commit") }),
]);
export type Record = z.infer<typeof Record>;
export type JournalOp = z.infer<typeof JournalOp>;

/** What a journal on disk says happened. */
export interface JournalReplay {
  begin?: Extract<Record, { t: "begin" }>;
  started: Set<number>;
  done: Set<number>;
  undone: Set<number>;
  committed: boolean;
  rollingBack: boolean;
}

/** Called after every record is durable; tests use it to crash on purpose. */
export type JournalHook = (count: number, rec: Record) => void;

export class Journal {
  #file?: Deno.FsFile;
  #count = 0;
  constructor(readonly path: string, readonly hook?: JournalHook) {}

  /** Start a new journal (the previous one must be gone). */
  async open(): Promise<void> {
    this.#file = await Deno.open(this.path, { write: true, createNew: true, mode: 0o600 });
    await syncDir(dirname(this.path));
  }

  async append(rec: Record): Promise<void> {
    if (!this.#file) throw new Error("journal not open");
    const line = new TextEncoder().encode(JSON.stringify(rec) + "\n");
    let off = 0;
    while (off < line.length) off += await this.#file.write(line.subarray(off));
    // Recovery needs only `begin` to be durable (it lists every step with the
    // state it found); the others mark progress for people and tests.
    if (rec.t === "begin" || rec.t === "rollback") await this.#file.syncData();
    this.#count++;
    this.hook?.(this.#count, rec);
  }

  /** Close and remove: the transaction is over either way. */
  async finish(): Promise<void> {
    this.#file?.close();
    this.#file = undefined;
    await Deno.remove(this.path).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await syncDir(dirname(this.path));
  }

  /** Read a journal left behind; a torn last line is ignored. */
  static async replay(path: string): Promise<JournalReplay | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw e;
    }
    const r: JournalReplay = {
      started: new Set(),
      done: new Set(),
      undone: new Set(),
      committed: false,
      rollingBack: false,
    };
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let rec: Record;
      try {
        rec = Record.parse(JSON.parse(line));
      } catch {
        break; // torn write at the end: nothing after it was durable
      }
      switch (rec.t) {
        case "begin":
          r.begin = rec;
          break;
        case "start":
          r.started.add(rec.i);
          break;
        case "done":
          r.done.add(rec.i);
          break;
        case "rollback":
          r.rollingBack = true;
          break;
        case "undone":
          r.undone.add(rec.i);
          break;
        case "commit":
          r.committed = true;
          break;
      }
    }
    return r;
  }
}
