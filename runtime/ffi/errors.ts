/**
 * Failures of libipn calls, with the errno and the engine's explanation.
 *
 * @module
 */

const NAMES: Record<number, string> = {
  1: "EPERM",
  2: "ENOENT",
  5: "EIO",
  11: "EAGAIN",
  12: "ENOMEM",
  13: "EACCES",
  16: "EBUSY",
  17: "EEXIST",
  19: "ENODEV",
  22: "EINVAL",
  28: "ENOSPC",
  36: "ENAMETOOLONG",
  71: "EPROTO",
  74: "EBADMSG",
  90: "EMSGSIZE",
  93: "EPROTONOSUPPORT",
  95: "EOPNOTSUPP",
  97: "EAFNOSUPPORT",
  98: "EADDRINUSE",
  104: "ECONNRESET",
  107: "ENOTCONN",
  110: "ETIMEDOUT",
  125: "ECANCELED",
};

/** A libipn call failed: `op` is the call, `errno` positive, `detail` the reason. */
export class IpnError extends Error {
  constructor(readonly op: string, readonly errno: number, readonly detail: string) {
    super(`${op}: ${detail}`);
    this.name = "IpnError";
  }

  /** The errno's symbolic name ("ENOENT"), or "E<number>". */
  get code(): string {
    return NAMES[this.errno] ?? `E${this.errno}`;
  }
}
