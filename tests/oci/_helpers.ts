/**
 * Shared helpers of the OCI integration tests: settings for a harness registry, blob
 * sources (in memory or generated on the fly, never a whole large blob in memory), a fetch
 * that records requests, stream hashing.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { TestRegistry } from "../harness/registry.ts";
import {
  type BlobSource,
  createRegistryClient,
  type CredentialStore,
  digestOf,
  type FetchLike,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  type RegistryClient,
  type RegistryClientOptions,
  type RegistryClientSettings,
} from "../../src/oci/mod.ts";

/** Retry timing for tests: retries happen, but without real waiting. */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 5 } as const;

/** A namespace unique to one test, so tests also work against a shared external registry. */
export function uniqueNamespace(prefix = "oci-test"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * `[oci]` settings for a harness registry (the registry URL carries the scheme, so the TLS
 * variant is spoken to over HTTPS even on 127.0.0.1).
 */
export function settingsFor(
  reg: Pick<TestRegistry, "url" | "caFile">,
  overrides: Partial<RegistryClientSettings> = {},
): RegistryClientSettings {
  return {
    registry: reg.url,
    namespace: uniqueNamespace(),
    auth_token_path: undefined,
    insecure: false,
    timeout: 30,
    retry_count: 2,
    ca_file: reg.caFile,
    chunk_size: 8 * 1024 * 1024,
    ...overrides,
  };
}

/** A recorded request. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
}

/** A `fetch` that records every request it sends (then really sends it). */
export function recordingFetch(): { fetch: FetchLike; requests: SeenRequest[] } {
  const requests: SeenRequest[] = [];
  const recording: FetchLike = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push({ method: init?.method ?? "GET", url, headers: new Headers(init?.headers) });
    return fetch(input, init);
  };
  return { fetch: recording, requests };
}

/** Creates a client for a harness registry with test retry timing. */
export function clientFor(
  reg: Pick<TestRegistry, "url" | "caFile">,
  options: RegistryClientOptions & { settings?: Partial<RegistryClientSettings> } = {},
): RegistryClient {
  const { settings, ...rest } = options;
  return createRegistryClient(settingsFor(reg, settings), {
    retry: FAST_RETRY,
    credentials: rest.credentials ?? emptyCredentials,
    ...rest,
  });
}

const emptyCredentials: CredentialStore = { get: () => Promise.resolve(undefined) };

/** A blob source over bytes in memory. */
export function bytesSource(
  bytes: Uint8Array,
  mediaType = MEDIA_TYPE_LAYER_TAR_GZIP,
  opened?: { count: number },
): BlobSource {
  return {
    digest: digestOf(bytes),
    size: bytes.byteLength,
    mediaType,
    open: () => {
      if (opened) opened.count++;
      return Promise.resolve(ReadableStream.from([bytes.slice()]));
    },
  };
}

/** A config blob source holding `value` as JSON. */
export function configSource(value: unknown): BlobSource {
  return bytesSource(new TextEncoder().encode(JSON.stringify(value)), MEDIA_TYPE_EXTENSION_CONFIG);
}

/**
 * A blob of `size` pseudo-random bytes generated chunk by chunk on every `open()`; its digest
 * is computed by streaming it once. Only one 1 MiB chunk is in memory at a time.
 */
export async function generatedSource(size: number, seed = 1): Promise<BlobSource> {
  const chunkSize = 1024 * 1024;
  const base = new Uint8Array(chunkSize);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < chunkSize; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    base[i] = x & 0xff;
  }
  const open = () => {
    let offset = 0;
    let index = 0;
    return Promise.resolve(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= size) return controller.close();
          const n = Math.min(chunkSize, size - offset);
          const chunk = base.slice(0, n);
          new DataView(chunk.buffer).setUint32(0, Math.min(index++, 0xffffffff));
          offset += n;
          controller.enqueue(chunk);
        },
      }, { highWaterMark: 0 }),
    );
  };
  const { digest } = await hashStream(await open());
  return { digest, size, mediaType: MEDIA_TYPE_LAYER_TAR_GZIP, open };
}

/** Hashes a stream (sha256) and counts its bytes. */
export async function hashStream(
  stream: ReadableStream<Uint8Array>,
): Promise<{ digest: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { digest: `sha256:${hash.digest("hex")}`, size };
}

/** Collects every string form of a value (message, hint, details, cause chain, JSON). */
export function printedForms(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown) => {
    if (v === null || v === undefined || seen.has(v)) return;
    seen.add(v);
    parts.push(String(v), Deno.inspect(v, { depth: 10 }));
    try {
      parts.push(JSON.stringify(v));
    } catch {
      // inspect covers circular values
    }
    if (v instanceof Error) {
      parts.push(v.message, v.stack ?? "");
      walk(v.cause);
      walk((v as { hint?: unknown }).hint);
      walk((v as { details?: unknown }).details);
    }
  };
  walk(value);
  return parts.join("\n");
}
