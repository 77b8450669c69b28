/**
 * Blobs: download as a stream whose digest and size are checked while bytes flow, existence
 * checks, and uploads that skip blobs the registry has, try a cross-repository mount, send
 * small blobs in one PUT and large ones in `chunk_size` PATCHes, always following the newest
 * `Location`. A failed upload is retried from the start with a freshly opened source.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { RegistryClient } from "./client.ts";
import { createCountStream, createVerifyStream } from "./digest.ts";
import { discardBody, type HttpRequest } from "./http.ts";
import { isDigest } from "./reference.ts";
import { RegistryResponseError } from "./registry_error.ts";
import { backoffDelay, isRetryableError, isRetryableStatus } from "./retry.ts";
import type { BlobSource, RepositoryLocation, TransferProgress } from "./types.ts";

/** Options of {@linkcode fetchBlob}. */
export interface FetchBlobOptions {
  /** Called as bytes arrive. */
  onProgress?: (progress: TransferProgress) => void;
  /** Aborts the download. */
  signal?: AbortSignal;
}

/**
 * Downloads a blob as a stream. The stream errors with `SIZE_MISMATCH` as soon as more bytes
 * than `size` arrive and with `DIGEST_MISMATCH` / `SIZE_MISMATCH` at its end, so a consumer
 * that writes to a temp file and renames only after a clean end never keeps bad bytes.
 *
 * @example
 * ```ts ignore
 * const stream = await fetchBlob(client, ref, layer);
 * await stream.pipeTo((await Deno.create("layer.tgz")).writable);
 * ```
 *
 * @param client The registry client.
 * @param location Registry and repository (a {@linkcode Reference} works).
 * @param descriptor The blob's digest and size (size may be omitted).
 * @param options Progress callback and abort signal.
 * @returns The verified byte stream (cancel it if you stop early).
 * @throws {ProvisioningError} `NOT_FOUND`; `SIZE_MISMATCH` when `Content-Length` already
 *   disagrees; network and auth errors.
 */
export async function fetchBlob(
  client: RegistryClient,
  location: RepositoryLocation,
  descriptor: { digest: string; size?: number | undefined },
  options: FetchBlobOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const { stream, size } = await openBlobResponse(client, location, descriptor, options.signal);
  return stream.pipeThrough(createVerifyStream({
    digest: descriptor.digest,
    size: descriptor.size,
    label: `blob "${descriptor.digest}" of "${location.repository}"`,
    ...(options.onProgress === undefined ? {} : {
      onProgress: (p: TransferProgress) => options.onProgress?.({ ...p, total: size }),
    }),
  }));
}

/**
 * Opens a blob's bytes as the registry sends them, not hashed: for a reader that passes
 * them through {@linkcode createVerifyStream} itself (the cache, which hashes each layer
 * once on its way to disk). A `Content-Length` that disagrees with `size` is refused at once.
 *
 * @example
 * ```ts ignore
 * const raw = await openBlob(client, ref, layer);
 * const checked = raw.pipeThrough(createVerifyStream(layer));
 * ```
 *
 * @param client The registry client.
 * @param location Registry and repository.
 * @param descriptor The blob's digest and size (size may be omitted).
 * @param signal Aborts the download.
 * @returns The unverified byte stream.
 * @throws {ProvisioningError} As {@linkcode fetchBlob}.
 */
export async function openBlob(
  client: RegistryClient,
  location: RepositoryLocation,
  descriptor: { digest: string; size?: number | undefined },
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  return (await openBlobResponse(client, location, descriptor, signal)).stream;
}

async function openBlobResponse(
  client: RegistryClient,
  location: RepositoryLocation,
  descriptor: { digest: string; size?: number | undefined },
  signal: AbortSignal | undefined,
): Promise<{ stream: ReadableStream<Uint8Array>; size: number }> {
  checkDigest(descriptor.digest);
  const url = client.repositoryUrl(location, `blobs/${descriptor.digest}`);
  const request: HttpRequest = {
    method: "GET",
    url,
    scopes: [`repository:${location.repository}:pull`],
  };
  if (signal !== undefined) request.signal = signal;
  const response = await client.send(request);
  if (!response.ok || response.body === null) {
    throw await client.fail("GET", url, response, {
      what: `pull "${location.repository}"`,
      notFound:
        `Blob "${descriptor.digest}" not found in "${location.registry}/${location.repository}"`,
    });
  }
  const declared = response.headers.get("content-length");
  if (descriptor.size !== undefined && declared !== null && Number(declared) !== descriptor.size) {
    await discardBody(response);
    throw new ProvisioningError(
      "SIZE_MISMATCH",
      `Size mismatch for blob "${descriptor.digest}" of "${location.repository}": expected ${descriptor.size} bytes, registry announced ${declared}`,
    );
  }
  return { stream: response.body, size: descriptor.size ?? Number(declared ?? 0) };
}

/**
 * Whether the registry has a blob in a repository (HEAD; 404 is `false`).
 *
 * @example
 * ```ts ignore
 * if (await blobExists(client, ref, layer.digest)) console.log("already there");
 * ```
 *
 * @param client The registry client.
 * @param location Registry and repository.
 * @param digest The blob digest.
 * @param scopes Token scopes to ask for (default: pull).
 * @returns True when present.
 * @throws {ProvisioningError} Network, auth and registry errors other than 404.
 */
export async function blobExists(
  client: RegistryClient,
  location: RepositoryLocation,
  digest: string,
  scopes?: readonly string[],
): Promise<boolean> {
  checkDigest(digest);
  const url = client.repositoryUrl(location, `blobs/${digest}`);
  const response = await client.send({
    method: "HEAD",
    url,
    scopes: scopes ?? [`repository:${location.repository}:pull`],
  });
  await discardBody(response);
  if (response.status === 404) return false;
  if (!response.ok) {
    throw await client.fail("HEAD", url, response, { what: `pull "${location.repository}"` });
  }
  return true;
}

/** How a blob got into the repository. */
export type PushBlobOutcome = "exists" | "mounted" | "uploaded";

/** Options of {@linkcode pushBlob}. */
export interface PushBlobOptions {
  /**
   * Repositories on the same registry that may hold the blob (cross-repository mount),
   * tried in turn as oras-go does; the upload session the last refusal opens is used.
   */
  mountFrom?: string | readonly string[];
  /** Called as bytes are sent. */
  onProgress?: (progress: TransferProgress) => void;
}

/** The result of {@linkcode pushBlob}. */
export interface PushBlobResult {
  /** The blob digest. */
  digest: string;
  /** The blob size in bytes. */
  size: number;
  /** Already there, mounted from another repository, or uploaded. */
  outcome: PushBlobOutcome;
}

/**
 * Uploads a blob unless the repository already has it: HEAD first, then a mount from
 * `mountFrom` when given, else an upload session — one streamed PUT up to `[oci] chunk_size`
 * bytes (always, when it is 0, the default), PATCH chunks of that size above it. Retryable
 * failures restart the upload with a freshly opened source.
 *
 * @example
 * ```ts ignore
 * const bytes = new TextEncoder().encode("{}");
 * const result = await pushBlob(client, ref, {
 *   digest: digestOf(bytes), size: bytes.byteLength, mediaType: "application/json",
 *   open: () => Promise.resolve(ReadableStream.from([bytes])),
 * });
 * console.log(result.outcome); // "uploaded", "mounted" or "exists"
 * ```
 *
 * @param client The registry client.
 * @param location Registry and repository.
 * @param source The blob (digest, size, `open()`).
 * @param options Mount source and progress callback.
 * @returns Digest, size and outcome.
 * @throws {ProvisioningError} `DIGEST_MISMATCH` / `SIZE_MISMATCH` when the registry rejects
 *   the bytes; registry, network and auth errors after retries.
 */
export async function pushBlob(
  client: RegistryClient,
  location: RepositoryLocation,
  source: BlobSource,
  options: PushBlobOptions = {},
): Promise<PushBlobResult> {
  checkDigest(source.digest);
  const scopes = [`repository:${location.repository}:pull,push`];
  const result = (outcome: PushBlobOutcome) => ({
    digest: source.digest,
    size: source.size,
    outcome,
  });
  if (await blobExists(client, location, source.digest, scopes)) return result("exists");
  const candidates =
    (typeof options.mountFrom === "string" ? [options.mountFrom] : options.mountFrom ?? [])
      .filter((repository) => repository !== location.repository);
  for (const from of candidates.slice(0, -1)) {
    if (await tryMount(client, location, source.digest, from, scopes)) return result("mounted");
  }
  const last = candidates.at(-1);
  const once: PushBlobOptions = { ...options, ...(last === undefined ? {} : { mountFrom: last }) };
  if (last === undefined) delete once.mountFrom;

  const policy = client.retryPolicy;
  for (let attempt = 0;; attempt++) {
    try {
      return result(await uploadOnce(client, location, source, once, scopes));
    } catch (error) {
      const retryable = isRetryableError(error) ||
        (error instanceof RegistryResponseError && isRetryableStatus(error.status));
      if (!retryable || attempt >= policy.retries) throw error;
      await policy.sleep(backoffDelay(attempt, policy));
    }
  }
}

async function uploadOnce(
  client: RegistryClient,
  location: RepositoryLocation,
  source: BlobSource,
  options: PushBlobOptions,
  scopes: string[],
): Promise<"mounted" | "uploaded"> {
  const start = client.repositoryUrl(location, "blobs/uploads/");
  const mountFrom = typeof options.mountFrom === "string" ? options.mountFrom : undefined;
  if (mountFrom !== undefined) {
    start.searchParams.set("mount", source.digest);
    start.searchParams.set("from", mountFrom);
  }
  const started = await client.send({
    method: "POST",
    url: start,
    headers: { "content-length": "0" },
    scopes: mountFrom === undefined ? scopes : [...scopes, `repository:${mountFrom}:pull`],
  });
  if (started.status === 201 && mountFrom !== undefined) {
    await discardBody(started);
    return "mounted";
  }
  if (started.status !== 202) {
    throw await client.fail("POST", start, started, { what: `push to "${location.repository}"` });
  }
  let session = uploadLocation(started, start);
  await discardBody(started);

  const chunkSize = client.settings.chunk_size;
  const report = options.onProgress;
  if (chunkSize <= 0 || source.size <= chunkSize) {
    const put = withDigest(session, source.digest);
    const response = await client.send({
      method: "PUT",
      url: put,
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(source.size),
      },
      body: async () => {
        const stream = await source.open();
        return report === undefined
          ? stream
          : stream.pipeThrough(createCountStream(source.digest, source.size, report));
      },
      scopes,
      retry: false,
    });
    await finishUpload(client, location, source, put, response);
    return "uploaded";
  }

  const reader = (await source.open()).getReader();
  let offset = 0;
  try {
    const buffer = new Uint8Array(chunkSize);
    let filled = 0;
    const flush = async () => {
      if (filled === 0) return;
      // No copy: fetch copies a byte body when the request is built, and the buffer is
      // refilled only after the response (auth replays included) has arrived.
      const chunk = buffer.subarray(0, filled);
      const response = await client.send({
        method: "PATCH",
        url: session,
        headers: {
          "content-type": "application/octet-stream",
          "content-range": `${offset}-${offset + chunk.byteLength - 1}`,
          "content-length": String(chunk.byteLength),
        },
        body: () => chunk,
        scopes,
        retry: false,
      });
      if (response.status !== 202) {
        throw await client.fail("PATCH", session, response, {
          what: `push to "${location.repository}"`,
        });
      }
      session = uploadLocation(response, session);
      await discardBody(response);
      offset += chunk.byteLength;
      filled = 0;
      report?.({ digest: source.digest, transferred: offset, total: source.size });
    };
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      let at = 0;
      while (at < value.byteLength) {
        const n = Math.min(chunkSize - filled, value.byteLength - at);
        buffer.set(value.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === chunkSize) await flush();
      }
    }
    await flush();
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  const put = withDigest(session, source.digest);
  const response = await client.send({
    method: "PUT",
    url: put,
    headers: { "content-length": "0" },
    scopes,
    retry: false,
  });
  await finishUpload(client, location, source, put, response);
  return "uploaded";
}

/**
 * One mount attempt that is not the last: `true` when the registry mounted the blob (201);
 * a refusal's upload session (202) is cancelled (best effort) and `false` returned.
 */
async function tryMount(
  client: RegistryClient,
  location: RepositoryLocation,
  digest: string,
  from: string,
  scopes: string[],
): Promise<boolean> {
  const url = client.repositoryUrl(location, "blobs/uploads/");
  url.searchParams.set("mount", digest);
  url.searchParams.set("from", from);
  const response = await client.send({
    method: "POST",
    url,
    headers: { "content-length": "0" },
    scopes: [...scopes, `repository:${from}:pull`],
  });
  await discardBody(response);
  if (response.status === 201) return true;
  if (response.status !== 202) return false;
  const session = response.headers.get("location");
  if (session) {
    await client.send({ method: "DELETE", url: new URL(session, url), scopes, retry: false })
      .then(discardBody, () => {});
  }
  return false;
}

async function finishUpload(
  client: RegistryClient,
  location: RepositoryLocation,
  source: BlobSource,
  url: URL,
  response: Response,
): Promise<void> {
  if (response.status !== 201 && !response.ok) {
    throw await client.fail("PUT", url, response, { what: `push to "${location.repository}"` });
  }
  await discardBody(response);
  const reported = response.headers.get("docker-content-digest");
  if (reported !== null && reported !== source.digest) {
    throw new ProvisioningError(
      "DIGEST_MISMATCH",
      `Registry stored blob "${source.digest}" as "${reported}"`,
    );
  }
}

/**
 * The upload session URL from a response's `Location` (absolute or relative).
 *
 * @param response A 202 from POST or PATCH.
 * @param requestUrl The URL that was requested (base for a relative `Location`).
 * @returns The newest session URL.
 */
function uploadLocation(response: Response, requestUrl: URL): URL {
  const location = response.headers.get("location");
  if (location === null || location === "") {
    throw new ProvisioningError(
      "REGISTRY_ERROR",
      `Registry "${requestUrl.host}" started an upload without a Location header`,
    );
  }
  return new URL(location, requestUrl);
}

/**
 * Appends `digest=` to an upload URL with `&` or `?` as needed, leaving its query untouched.
 *
 * @example
 * ```ts
 * import { withDigest } from "./blobs.ts";
 * import assert from "node:assert/strict";
 *
 * const url = withDigest(new URL("http://r/v2/a/blobs/uploads/u?_state=x%3D"), "sha256:ab");
 * assert.equal(url.search, "?_state=x%3D&digest=sha256%3Aab");
 * assert.equal(withDigest(new URL("http://r/u"), "sha256:ab").search, "?digest=sha256%3Aab");
 * ```
 *
 * @param url The newest upload session URL.
 * @param digest The blob digest.
 * @returns A new URL with the digest parameter.
 */
export function withDigest(url: URL, digest: string): URL {
  const out = new URL(url);
  out.search = (out.search === "" || out.search === "?" ? "?" : `${out.search}&`) +
    `digest=${encodeURIComponent(digest)}`;
  return out;
}

function checkDigest(digest: string): void {
  if (!isDigest(digest)) {
    throw new ProvisioningError("INVALID_REFERENCE", `"${digest}" is not a valid digest`);
  }
}
