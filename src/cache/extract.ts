/**
 * Safe, streaming extraction of tar and tar+gzip archives into a fresh directory.
 *
 * @module
 */

import { createTarDecoder, type ParsedTarEntry } from "modern-tar";
import { join } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { createVerifyStream } from "../oci/digest.ts";
import { ANNOTATION_ORAS_CONTENT_DIGEST } from "../oci/media_types.ts";
import { writeAll } from "./_fs.ts";
import { normalizeEntryName, symlinkTargetProblem } from "./archive_paths.ts";
import type { ExtractLimits, ExtractStats } from "./types.ts";

/**
 * Default extraction limits, equal to the configuration defaults
 * (`[cache] max_extract_bytes = 1 GiB`, `max_extract_files = 100000`).
 */
export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = {
  maxBytes: 1024 * 1024 * 1024,
  maxFiles: 100_000,
};

/** Options of {@linkcode extractArchive}. */
export interface ExtractOptions {
  /** Digest of the uncompressed tar (ORAS's `io.deis.oras.content.digest`), checked. */
  contentDigest?: string;
  /** Names the archive in messages (`layer "sha256:…" of "reg/ns/aws:1.0.0"`). */
  label?: string;
}

const HINT = "Nothing was extracted; ask the publisher to repack the extension as a plain tree";
const MATERIALIZE_HINT = "Deno refused to create symlinks (they need unscoped --allow-read and " +
  "--allow-write); run with those, or ask the publisher to replace the link";

/**
 * Unpacks a tar or tar+gzip stream (gzip is detected by its magic bytes) into `destDir`,
 * which must not exist yet: it is created empty, so nothing already on disk (in particular
 * no symlink) is ever followed.
 *
 * Refused, with nothing left behind (`destDir` is removed): absolute names, `..` components,
 * backslashes and a leading Windows drive (`C:`) in names and link targets (on every
 * platform: they are separators and drives on Windows), symlinks whose target is absolute
 * or leaves the root, hard links to anything but a regular
 * file earlier in the archive, entries below a symlink, duplicate entries, device and FIFO
 * entries, more than `limits.maxBytes` bytes of file content or more than `limits.maxFiles`
 * created entries (both enforced while streaming). Modes are normalised: files are 0644, or
 * 0755 when any execute bit is set; directories 0755; setuid, setgid and sticky bits are
 * dropped. `./` prefixes, directory entries, PAX and GNU long names are handled.
 *
 * Symbolic links are made last, after the whole archive has been read (and verified by the
 * stream), with `Deno.symlink`. Deno refuses `Deno.symlink` to code holding a path-scoped
 * write grant (`--allow-write=<cache>`, the least-privilege set), since a link's target is
 * only resolved when it is used; when it (or the file system) refuses for lack of
 * permission, every link is materialised instead, from what the archive holds and without
 * following anything on disk: a link to a file becomes a hard link to that file, a link to
 * a directory becomes a copy of it (directories made anew, files hard-linked, links inside
 * it materialised where they stand). Copies count towards `limits` like the archive's own
 * entries. A link that leads nowhere (its target is not in the archive, or it only loops
 * through links) is left out; a link to a directory that contains it cannot be copied and is
 * refused (`UNSUPPORTED`). `stats.materializedLinks` and `stats.omittedLinks` say what
 * happened. A link to a file shares that file's inode then, so neither may be changed in
 * place (the cache never does).
 *
 * @example Unpack a small archive
 * ```ts
 * import { extractArchive } from "./extract.ts";
 * import { packTar } from "modern-tar";
 * import assert from "node:assert/strict";
 *
 * const tar = await packTar([
 *   { header: { name: "extension.yaml", size: 5, type: "file" }, body: "x: 1\n" },
 * ]);
 * const parent = await Deno.makeTempDir();
 * const stats = await extractArchive(new Blob([tar]).stream(), `${parent}/out`);
 * assert.equal(stats.files, 1);
 * assert.equal(await Deno.readTextFile(`${parent}/out/extension.yaml`), "x: 1\n");
 * await Deno.remove(parent, { recursive: true });
 * ```
 *
 * With `options.contentDigest` (ORAS's `io.deis.oras.content.digest`: the digest of the
 * uncompressed tar), the tar stream is checked against it as it unpacks, and a mismatch
 * refuses the archive with `DIGEST_MISMATCH`, as `oras pull` does.
 *
 * @param stream The archive bytes. It is read to its end (or cancelled on failure).
 * @param destDir Directory to create; its parent must exist.
 * @param limits Size and count limits; missing fields use {@linkcode DEFAULT_EXTRACT_LIMITS}.
 * @param options The uncompressed tar's digest to check, and a label for messages.
 * @returns What was written.
 * @throws {ProvisioningError} `UNSAFE_ARCHIVE` naming the entry and the reason (also when
 * materialised links exceed `limits`); `INTEGRITY` for a corrupt or truncated archive;
 * `UNSUPPORTED` for zstd, or for a link to a directory containing it that must be
 * materialised; `ALREADY_EXISTS` when `destDir` exists; `DIGEST_MISMATCH` when the tar does
 * not match `options.contentDigest`. Errors of `stream` itself and file-system errors (a
 * full disk, a read-only folder) are rethrown unchanged.
 */
export async function extractArchive(
  stream: ReadableStream<Uint8Array>,
  destDir: string,
  limits: Partial<ExtractLimits> = {},
  options: ExtractOptions = {},
): Promise<ExtractStats> {
  const maxBytes = limits.maxBytes ?? DEFAULT_EXTRACT_LIMITS.maxBytes;
  const maxFiles = limits.maxFiles ?? DEFAULT_EXTRACT_LIMITS.maxFiles;
  try {
    await Deno.mkdir(destDir, { mode: 0o755 });
  } catch (error) {
    await stream.cancel(error).catch(() => {});
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new ProvisioningError(
        "ALREADY_EXISTS",
        `Cannot extract into "${destDir}": it already exists`,
        { cause: error },
      );
    }
    throw error;
  }
  const abort = new AbortController();
  let pipe: Promise<void> | undefined;
  try {
    const { stream: sniffed, head } = await sniff(stream);
    const problem = archiveHeadProblem(head);
    if (problem !== undefined) {
      await sniffed.cancel();
      throw problem;
    }
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const unpacked = gzip
      ? sniffed.pipeThrough(
        new DecompressionStream("gzip") as TransformStream<
          Uint8Array,
          Uint8Array
        >,
      )
      : sniffed;
    const tar = options.contentDigest === undefined ? unpacked : unpacked.pipeThrough(
      createVerifyStream({
        digest: options.contentDigest,
        label: `the unpacked content of ${
          options.label ?? "the archive"
        } (${ANNOTATION_ORAS_CONTENT_DIGEST})`,
        hint: `The archive does not match its "${ANNOTATION_ORAS_CONTENT_DIGEST}" annotation; ` +
          "nothing was extracted",
      }),
    );
    // Tar framing (headers, PAX records, padding) may add to the file bytes, within reason.
    const tarLimit = maxBytes + maxFiles * 4096 + 16 * 1024 * 1024;
    const decoder = createTarDecoder({ strict: true });
    pipe = tar.pipeThrough(limitBytes(tarLimit)).pipeTo(decoder.writable, {
      signal: abort.signal,
    });
    pipe.catch(() => {});
    const writer = new TreeWriter(destDir, maxBytes, maxFiles, gzip);
    for await (const entry of decoder.readable) await writer.write(entry);
    await pipe;
    await writer.finishLinks();
    return writer.stats;
  } catch (error) {
    abort.abort(error);
    await pipe?.catch(() => {});
    await Deno.remove(destDir, { recursive: true }).catch(() => {});
    throw asExtractError(error);
  }
}

const FS_ERRORS: readonly (new (...args: never[]) => Error)[] = Object.values(Deno.errors);

function asExtractError(error: unknown): unknown {
  if (error instanceof ProvisioningError) return error;
  if (FS_ERRORS.some((cls) => error instanceof cls)) return error;
  // A failed write (a full disk: `ENOSPC`, a read-only file system: `EROFS`) says nothing
  // about the archive: Deno gives such errors an errno `code`, stream errors have none.
  if (isOsError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const known = STREAM_MESSAGES.find(([pattern]) => pattern.test(message));
  return new ProvisioningError(
    "INTEGRITY",
    `Cannot read archive: ${
      known?.[1] ?? message.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase())
    }`,
    { cause: error },
  );
}

/** What the decompressor's and the tar decoder's terse messages mean for an archive. */
const STREAM_MESSAGES: readonly [RegExp, string][] = [
  // Deno's gzip decoder on bytes after the gzip trailer (a second member, or garbage).
  [
    /failed to write whole buffer/i,
    "bytes follow the end of its gzip stream (a second gzip member or trailing data)",
  ],
  [/invalid EOF|unexpected end/i, "it ends in the middle of an entry (truncated or corrupt)"],
  [
    /corrupt deflate stream|invalid gzip header|invalid (block|distance|code)/i,
    "its gzip data is corrupt",
  ],
];

function isOsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && /^E[A-Z0-9]+$/.test(code);
}

function refuse(name: string, reason: string): ProvisioningError {
  return new ProvisioningError(
    "UNSAFE_ARCHIVE",
    `Refusing archive entry "${name}": ${reason}`,
    { hint: HINT },
  );
}

/** Reads the first bytes of a stream and returns them plus a stream of all its bytes. */
/** How much of an archive {@linkcode archiveHeadProblem} needs: one tar header block. */
export const HEAD_BYTES = 512;

/**
 * What is wrong with an archive, judged from its first {@linkcode HEAD_BYTES} bytes (or all of
 * a shorter one): empty, zstd (unsupported), or neither gzip nor a tar header (whose checksum
 * must add up). Undefined for a gzip stream or a plausible tar. Lets a download stop at its
 * first block instead of storing gigabytes that are not an archive.
 *
 * @example
 * ```ts
 * import { archiveHeadProblem } from "./extract.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(archiveHeadProblem(new Uint8Array([0x1f, 0x8b, 8, 0])), undefined);
 * assert.equal(archiveHeadProblem(new Uint8Array(512)), undefined); // an empty tar
 * assert.match(archiveHeadProblem(new TextEncoder().encode("<html>"))!.message, /neither/);
 * ```
 *
 * @param head The first bytes.
 * @returns The refusal, or undefined.
 */
export function archiveHeadProblem(head: Uint8Array): ProvisioningError | undefined {
  if (head.length === 0) {
    return new ProvisioningError("INTEGRITY", "Cannot read archive: it is empty");
  }
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    return new ProvisioningError(
      "UNSUPPORTED",
      "Cannot extract a zstd-compressed archive: only tar and tar+gzip are supported",
    );
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return undefined;
  if (head.length >= HEAD_BYTES && isTarHeader(head.subarray(0, HEAD_BYTES))) return undefined;
  return new ProvisioningError(
    "INTEGRITY",
    "Cannot read archive: it is neither gzip nor tar (its first block is no tar header with a " +
      "checksum that adds up)",
  );
}

/** A tar header block: all zeros (the end marker), or a header whose checksum adds up. */
function isTarHeader(block: Uint8Array): boolean {
  if (block.every((b) => b === 0)) return true;
  const field = new TextDecoder().decode(block.subarray(148, 156)).replace(/[\0 ]+$/g, "").trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < HEAD_BYTES; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === parseInt(field, 8);
}

async function sniff(
  stream: ReadableStream<Uint8Array>,
): Promise<{ stream: ReadableStream<Uint8Array>; head: Uint8Array }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < HEAD_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.length === 0) continue;
    chunks.push(value);
    length += value.length;
  }
  const head = chunks.length === 1 ? chunks[0]! : new Uint8Array(length);
  if (chunks.length > 1) {
    let offset = 0;
    for (const chunk of chunks) {
      head.set(chunk, offset);
      offset += chunk.length;
    }
  }
  let pending: Uint8Array | undefined = head.length > 0 ? head : undefined;
  const out = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pending) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return { stream: out, head };
}

/** Passes bytes through, failing once more than `limit` have passed. */
function limitBytes(limit: number): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > limit) {
        throw new ProvisioningError(
          "UNSAFE_ARCHIVE",
          `Refusing archive: its tar stream is larger than ${limit} bytes`,
          { hint: HINT },
        );
      }
      controller.enqueue(chunk);
    },
  });
}

/** Longest chain of links followed while resolving one path (Linux allows 40). */
const MAX_LINK_HOPS = 40;

/** What a path inside the archive resolves to, links followed. */
type Resolved = { kind: "file" | "directory"; parts: string[] };

/**
 * Writes entries into a fresh root, tracking what it created. Symbolic links are only
 * recorded while the archive streams and are made by {@linkcode TreeWriter.finishLinks}
 * once every regular file exists.
 */
class TreeWriter {
  readonly stats: ExtractStats;
  readonly #root: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  /** Relative paths ("a/b") of directories created; "" is the root. */
  readonly #dirs = new Set<string>([""]);
  /** Relative paths of regular files (hard-link targets), with their sizes. */
  readonly #files = new Map<string, number>();
  /** Relative paths of symlinks, with their targets as written in the archive. */
  readonly #symlinks = new Map<string, string>();
  /** Names inside each directory (relative path → names), for copying directories. */
  readonly #children = new Map<string, string[]>([["", []]]);

  constructor(root: string, maxBytes: number, maxFiles: number, gzip: boolean) {
    this.#root = root;
    this.#maxBytes = maxBytes;
    this.#maxFiles = maxFiles;
    this.stats = {
      entries: 0,
      files: 0,
      directories: 0,
      symlinks: 0,
      materializedLinks: 0,
      omittedLinks: 0,
      bytes: 0,
      gzip,
    };
  }

  async write(entry: ParsedTarEntry): Promise<void> {
    const { header } = entry;
    const name = header.name;
    const type = header.type ?? "file";
    if (type === "character-device" || type === "block-device" || type === "fifo") {
      throw refuse(name, `${type} entries are not allowed`);
    }
    if (type !== "file" && type !== "directory" && type !== "symlink" && type !== "link") {
      throw refuse(name, `"${type}" entries are not supported`);
    }
    const normalized = normalizeEntryName(name);
    if ("reason" in normalized) throw refuse(name, normalized.reason);
    const parts = normalized.parts;
    if (parts.length === 0) {
      if (type !== "directory") throw refuse(name, "the entry has no name");
      await entry.body.cancel();
      return;
    }
    const rel = parts.join("/");
    await this.#makeParents(name, parts);
    const full = join(this.#root, ...parts);
    if (type === "directory") {
      await entry.body.cancel();
      if (this.#dirs.has(rel)) return;
      this.#checkFree(name, rel);
      this.#count(name);
      await Deno.mkdir(full, { mode: 0o755 });
      this.#addDir(rel);
      this.stats.directories++;
      return;
    }
    this.#checkFree(name, rel);
    this.#count(name);
    if (type === "symlink") {
      await entry.body.cancel();
      const target = header.linkname ?? "";
      const problem = symlinkTargetProblem(parts, target);
      if (problem) throw refuse(name, problem);
      // Made after the regular files (finishLinks), so a link can be materialised from them.
      this.#symlinks.set(rel, target);
      this.#addChild(rel);
      this.stats.symlinks++;
      return;
    }
    if (type === "link") {
      await entry.body.cancel();
      const target = normalizeEntryName(header.linkname ?? "");
      if ("reason" in target) throw refuse(name, `its hard link target: ${target.reason}`);
      const targetRel = target.parts.join("/");
      const size = this.#files.get(targetRel);
      if (size === undefined) {
        throw refuse(
          name,
          `the hard link target "${
            header.linkname ?? ""
          }" is not a regular file earlier in the archive`,
        );
      }
      await Deno.link(join(this.#root, ...target.parts), full);
      this.#addFile(rel, size);
      this.stats.files++;
      return;
    }
    await this.#writeFile(entry, name, rel, full);
  }

  /**
   * Makes the recorded symlinks, in archive order. When Deno refuses `Deno.symlink` for
   * lack of permission (it needs unscoped read and write, so any `--allow-write=<path>`
   * refuses it) or the file system does, each link is materialised instead: a link to a
   * file becomes a hard link to that file, a link to a directory becomes a copy of it
   * (directories made anew, files hard-linked), built from what the archive holds, never by
   * following anything on disk. A link whose target is not in the archive (or that loops
   * through links only) is left out.
   */
  async finishLinks(): Promise<void> {
    let materialize = false;
    for (const [rel, target] of this.#symlinks) {
      const parts = rel.split("/");
      if (!materialize) {
        try {
          await Deno.symlink(target, join(this.#root, ...parts));
          continue;
        } catch (error) {
          if (
            !(error instanceof Deno.errors.NotCapable) &&
            !(error instanceof Deno.errors.PermissionDenied)
          ) {
            throw error;
          }
          materialize = true;
        }
      }
      if (await this.#materialize(rel, parts, parts, [parts.slice(0, -1)])) {
        this.stats.materializedLinks++;
      } else {
        this.stats.omittedLinks++;
      }
    }
  }

  /**
   * Writes, at `dest`, what the link at `source` leads to. `copying` holds the source
   * directories being copied (the link's own directory first): a link to one of them or to
   * a directory above them would make an endless copy and is refused.
   */
  async #materialize(
    rel: string,
    source: string[],
    dest: string[],
    copying: string[][],
  ): Promise<boolean> {
    const resolved = this.#resolve(source);
    if (!resolved) return false;
    if (resolved.kind === "file") {
      this.#addBytes(rel, this.#files.get(resolved.parts.join("/")) ?? 0);
      await Deno.link(join(this.#root, ...resolved.parts), join(this.#root, ...dest));
      return true;
    }
    if (copying.some((dir) => isWithin(dir, resolved.parts))) {
      throw new ProvisioningError(
        "UNSUPPORTED",
        `Cannot materialise symlink "${rel}": it leads to "${
          resolved.parts.join("/") || "."
        }", a directory that contains it`,
        { hint: MATERIALIZE_HINT },
      );
    }
    await Deno.mkdir(join(this.#root, ...dest), { mode: 0o755 });
    await this.#copyDir(rel, resolved.parts, dest, [...copying, resolved.parts]);
    return true;
  }

  /** Copies the archive's directory `source` into the (made) directory `dest`. */
  async #copyDir(
    rel: string,
    source: string[],
    dest: string[],
    copying: string[][],
  ): Promise<void> {
    for (const child of this.#children.get(source.join("/")) ?? []) {
      const from = [...source, child];
      const to = [...dest, child];
      const fromRel = from.join("/");
      const size = this.#files.get(fromRel);
      this.#count(rel);
      if (this.#dirs.has(fromRel)) {
        await Deno.mkdir(join(this.#root, ...to), { mode: 0o755 });
        this.stats.directories++;
        await this.#copyDir(rel, from, to, [...copying, from]);
      } else if (size !== undefined) {
        this.#addBytes(rel, size);
        await Deno.link(join(this.#root, ...from), join(this.#root, ...to));
        this.stats.files++;
      } else if (!(await this.#materialize(rel, from, to, copying))) {
        this.stats.entries--; // a link leading nowhere is left out of the copy too
      }
    }
  }

  /**
   * Resolves a path of the archive, following its links the way the kernel would (each
   * link's target relative to the real directory holding it). Stays inside the root, since
   * every target was checked by `symlinkTargetProblem` and links have no links above them.
   */
  #resolve(parts: readonly string[]): Resolved | undefined {
    let done: string[] = [];
    let pending = [...parts];
    let hops = 0;
    while (pending.length > 0) {
      const candidate = [...done, pending.shift()!];
      const rel = candidate.join("/");
      const target = this.#symlinks.get(rel);
      if (target !== undefined) {
        if (++hops > MAX_LINK_HOPS) return undefined;
        const steps = target.split("/").filter((part) => part !== "" && part !== ".");
        let ups = 0;
        while (steps[ups] === "..") ups++;
        if (ups > done.length) return undefined;
        done = done.slice(0, done.length - ups);
        pending = [...steps.slice(ups), ...pending];
      } else if (this.#dirs.has(rel)) {
        done = candidate;
      } else if (this.#files.has(rel) && pending.length === 0) {
        return { kind: "file", parts: candidate };
      } else {
        return undefined;
      }
    }
    return { kind: "directory", parts: done };
  }

  async #writeFile(entry: ParsedTarEntry, name: string, rel: string, full: string) {
    const size = entry.header.size;
    if (this.stats.bytes + size > this.#maxBytes) {
      throw refuse(name, `the archive unpacks to more than ${this.#maxBytes} bytes`);
    }
    const mode = ((entry.header.mode ?? 0o644) & 0o111) !== 0 ? 0o755 : 0o644;
    // createNew: never opens (or follows) anything that already exists.
    const file = await Deno.open(full, { write: true, createNew: true, mode });
    let written = 0;
    try {
      for await (const chunk of entry.body) {
        written += chunk.length;
        this.stats.bytes += chunk.length;
        if (this.stats.bytes > this.#maxBytes) {
          throw refuse(name, `the archive unpacks to more than ${this.#maxBytes} bytes`);
        }
        await writeAll(file, chunk);
      }
    } finally {
      file.close();
    }
    this.#addFile(rel, written);
    this.stats.files++;
  }

  /** Creates missing parent directories; refuses parents that are links or files. */
  async #makeParents(name: string, parts: string[]): Promise<void> {
    let rel = "";
    for (let i = 0; i < parts.length - 1; i++) {
      rel = rel === "" ? parts[i]! : `${rel}/${parts[i]}`;
      if (this.#dirs.has(rel)) continue;
      if (this.#symlinks.has(rel)) throw refuse(name, `its parent "${rel}" is a symlink`);
      if (this.#files.has(rel)) throw refuse(name, `its parent "${rel}" is not a directory`);
      this.#count(name);
      await Deno.mkdir(join(this.#root, ...parts.slice(0, i + 1)), { mode: 0o755 });
      this.#addDir(rel);
      this.stats.directories++;
    }
  }

  #addDir(rel: string): void {
    this.#dirs.add(rel);
    this.#children.set(rel, []);
    this.#addChild(rel);
  }

  #addFile(rel: string, size: number): void {
    this.#files.set(rel, size);
    this.#addChild(rel);
  }

  #addChild(rel: string): void {
    const slash = rel.lastIndexOf("/");
    this.#children.get(slash < 0 ? "" : rel.slice(0, slash))?.push(rel.slice(slash + 1));
  }

  #checkFree(name: string, rel: string): void {
    if (this.#dirs.has(rel) || this.#files.has(rel) || this.#symlinks.has(rel)) {
      throw refuse(name, "it duplicates an earlier entry");
    }
  }

  #count(name: string): void {
    this.stats.entries++;
    if (this.stats.entries > this.#maxFiles) {
      throw refuse(name, `the archive has more than ${this.#maxFiles} entries`);
    }
  }

  #addBytes(name: string, size: number): void {
    this.stats.bytes += size;
    if (this.stats.bytes > this.#maxBytes) {
      throw refuse(name, `the archive unpacks to more than ${this.#maxBytes} bytes`);
    }
  }
}

/** Whether `inner` is `outer` or below it. */
function isWithin(inner: readonly string[], outer: readonly string[]): boolean {
  return outer.length <= inner.length && outer.every((part, i) => inner[i] === part);
}
