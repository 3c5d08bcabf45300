/**
 * One daemon per state directory: an exclusive flock on STATE_DIR/lock,
 * held for the daemon's life, with the owner written inside so a refused
 * second daemon can say who holds it.
 *
 * @module
 */
import { join } from "node:path";

export interface LockOwner {
  pid: number;
  since: string;
  what: string;
}

export class StateLock {
  #file?: Deno.FsFile;
  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, "lock");
  }

  /** Take the lock or throw naming its holder. */
  async acquire(what: string): Promise<void> {
    await Deno.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const f = await Deno.open(this.path, { read: true, write: true, create: true, mode: 0o600 });
    if (!(await f.tryLock(true))) {
      f.close();
      const o = await StateLock.owner(this.dir);
      const who = o ? `pid ${o.pid} (${o.what}) since ${o.since}` : "another process";
      throw new Error(`state directory ${this.dir} is locked by ${who}`);
    }
    this.#file = f;
    const owner: LockOwner = { pid: Deno.pid, since: new Date().toISOString(), what };
    await f.truncate(0);
    await f.write(new TextEncoder().encode(JSON.stringify(owner) + "\n"));
    await f.syncData();
  }

  release(): void {
    this.#file?.close();
    this.#file = undefined;
  }

  /** Who holds the lock, as written in the file. */
  static async owner(dir: string): Promise<LockOwner | undefined> {
    try {
      return JSON.parse(await Deno.readTextFile(join(dir, "lock")));
    } catch {
      return undefined;
    }
  }
}
