/**
 * Test helpers for the cache (private): archives built in memory, blob sources with call
 * counters and throttling, tree listings.
 *
 * @module
 */

import { packTar, type TarHeader } from "modern-tar";
import { createHash } from "node:crypto";
import { join, relative } from "../fs/path.ts";
import type { BlobSource } from "./types.ts";

/** One archive member for {@linkcode tarOf}. */
export interface Member {
  name: string;
  type?: TarHeader["type"];
  body?: string | Uint8Array;
  linkname?: string;
  mode?: number;
}

/** Packs members into a tar (raw headers: nothing is sanitised). */
export async function tarOf(members: readonly Member[]): Promise<Uint8Array<ArrayBuffer>> {
  return await packTar(members.map((m) => {
    const body = typeof m.body === "string" ? new TextEncoder().encode(m.body) : m.body;
    const header: TarHeader = {
      name: m.name,
      type: m.type ?? "file",
      size: body?.length ?? 0,
      mtime: new Date(0),
    };
    if (m.linkname !== undefined) header.linkname = m.linkname;
    if (m.mode !== undefined) header.mode = m.mode;
    return body ? { header, body } : { header };
  }));
}

/** Gzips bytes with the platform's CompressionStream. */
export async function gzip(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return await new Response(
    new Blob([bytes as BufferSource]).stream().pipeThrough(new CompressionStream("gzip")),
  )
    .bytes();
}

/** `sha256:<hex>` of bytes. */
export function sha256(bytes: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(bytes).digest("hex");
}

/** A minimal extension archive (tar+gzip) with a manifest and a couple of files. */
export async function extensionArchive(
  name: string,
  version: string,
  options: { prefix?: string; extra?: Member[] } = {},
): Promise<Uint8Array> {
  const p = options.prefix ?? "";
  return await gzip(
    await tarOf([
      {
        name: `${p}extension.yaml`,
        body: `extension:\n  name: ${name}\n  version: ${version}\n  type: provider\n`,
      },
      { name: `${p}kcl/`, type: "directory" },
      { name: `${p}kcl/main.k`, body: `name = "${name}"\n` },
      { name: `${p}scripts/install.sh`, body: "#!/bin/sh\necho hi\n", mode: 0o755 },
      ...(options.extra ?? []),
    ]),
  );
}

/** A blob source over bytes that counts `open()` calls. */
export function blobOf(
  bytes: Uint8Array,
  options: { digest?: string; size?: number; chunkSize?: number } = {},
): BlobSource & { opens: number } {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const source = {
    digest: options.digest ?? sha256(bytes),
    size: options.size ?? bytes.length,
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    opens: 0,
    open() {
      source.opens++;
      let offset = 0;
      return Promise.resolve(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= bytes.length) return controller.close();
            controller.enqueue(bytes.slice(offset, offset + chunkSize));
            offset += chunkSize;
          },
        }),
      );
    },
  };
  return source;
}

/** Every path below `dir` (relative, sorted), directories with a trailing slash. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string) {
    for await (const entry of Deno.readDir(current)) {
      const full = join(current, entry.name);
      const rel = relative(dir, full);
      if (entry.isDirectory) {
        out.push(`${rel}/`);
        await walk(full);
      } else {
        out.push(rel);
      }
    }
  }
  try {
    await walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "cache-test-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A clock that starts at `start` and moves only when told. */
export function fakeClock(
  start: string,
): { now: () => Date; advance(ms: number): void; set(iso: string): void } {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
    set(iso: string) {
      t = Date.parse(iso);
    },
  };
}
