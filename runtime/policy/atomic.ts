/**
 * Files published for other programs (policies, the endpoint table): written
 * whole or not at all, so a reader never sees half a file.
 *
 * @module
 */
import { dirname } from "node:path";

/** Write `text` to `path` via a temporary file, fsync and rename; `mode` as given. */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp-${Deno.pid}`;
  const f = Deno.openSync(tmp, { write: true, create: true, truncate: true, mode });
  try {
    const data = new TextEncoder().encode(text);
    let off = 0;
    while (off < data.length) off += f.writeSync(data.subarray(off));
    f.syncSync();
  } finally {
    f.close();
  }
  // open() applies the umask; published files must really be world-readable
  Deno.chmodSync(tmp, mode);
  try {
    Deno.renameSync(tmp, path);
  } catch (e) {
    Deno.removeSync(tmp);
    throw e;
  }
  // make the rename itself durable
  const d = Deno.openSync(dirname(path), { read: true });
  try {
    d.syncSync();
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  } finally {
    d.close();
  }
}
