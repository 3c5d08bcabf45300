/**
 * Generations: every committed apply is kept, numbered, so that
 * `ipnctl history` can list them and `ipnctl rollback N` return to one.
 *
 * @module
 */
import { z } from "zod";
import { join } from "node:path";
import { Resource } from "../../dsl/schema.ts";
import { writeFileAtomic } from "./atomic.ts";

export const Generation = z.object({
  generation: z.number().int().positive(),
  at: z.string(),
  by: z.string(),
  /** apply, destroy, rollback (to an earlier generation), or auto-rollback (confirm timed out). */
  reason: z.enum(["apply", "destroy", "rollback", "auto-rollback", "reload"]),
  file: z.string().optional(),
  fileHash: z.string().optional(),
  backend: z.enum(["user", "kernel"]),
  summary: z.object({
    create: z.number(),
    update: z.number(),
    replace: z.number(),
    delete: z.number(),
  }),
  /** For rollbacks: the generation returned to. */
  target: z.number().int().optional(),
  resources: z.array(Resource),
});
export type Generation = z.infer<typeof Generation>;

export class Generations {
  constructor(readonly dir: string) {}

  #path(n: number): string {
    return join(this.dir, `${String(n).padStart(6, "0")}.json`);
  }

  async write(g: Generation): Promise<void> {
    await writeFileAtomic(this.#path(g.generation), JSON.stringify(g) + "\n", 0o600);
  }

  async read(n: number): Promise<Generation | undefined> {
    try {
      return Generation.parse(JSON.parse(await Deno.readTextFile(this.#path(n))));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw new Error(`generation ${n} is unreadable: ${(e as Error).message}`);
    }
  }

  /** All generations, oldest first, without their resources. */
  async list(): Promise<Omit<Generation, "resources">[]> {
    const out: Omit<Generation, "resources">[] = [];
    try {
      for await (const e of Deno.readDir(this.dir)) {
        const m = e.name.match(/^(\d{6,})\.json$/);
        if (!m) continue;
        const g = await this.read(Number(m[1]));
        if (g) {
          const { resources: _r, ...meta } = g;
          out.push(meta);
        }
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    return out.sort((a, b) => a.generation - b.generation);
  }
}
