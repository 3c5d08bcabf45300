/**
 * Atomic file replacement: write a temporary file beside the target, fsync
 * it, rename it over the target and fsync the directory, so a crash (or a
 * concurrent reader) sees either the old or the new content, never a mix.
 * The mode is set explicitly: the umask must not make a published file
 * unreadable.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

function tempFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/** Replace `path` with `data` atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644) {
  const dir = dirname(path);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = tempFor(path);
  const bytes = bytesOf(data);
  const f = await Deno.open(tmp, { write: true, createNew: true, mode });
  try {
    let off = 0;
    while (off < bytes.length) off += await f.write(bytes.subarray(off));
    await f.sync();
    f.close();
    await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (e) {
    try {
      f.close();
    } catch { /* already closed */ }
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  await syncDir(dir);
}

/** The same, synchronously, for code that runs inside synchronous handlers. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, mode = 0o644) {
  const tmp = tempFor(path);
  const bytes = bytesOf(data);
  const f = Deno.openSync(tmp, { write: true, createNew: true, mode });
  try {
    let off = 0;
    while (off < bytes.length) off += f.writeSync(bytes.subarray(off));
    f.syncSync();
    f.close();
    Deno.chmodSync(tmp, mode);
    Deno.renameSync(tmp, path);
  } catch (e) {
    try {
      f.close();
    } catch { /* already closed */ }
    try {
      Deno.removeSync(tmp);
    } catch { /* never created */ }
    throw e;
  }
  syncDirSync(dirname(path));
}

/** fsync a directory so a rename in it is durable. */
export async function syncDir(dir: string) {
  const d = await Deno.open(dir, { read: true });
  try {
    await d.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    d.close();
  }
}

function syncDirSync(dir: string) {
  const d = Deno.openSync(dir, { read: true });
  try {
    d.syncSync();
  } catch {
    // As above.
  } finally {
    d.close();
  }
}
