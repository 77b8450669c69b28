/**
 * Pull mirrors and blocked registries (`[[oci.mirrors]]`), in the style of
 * containers-registries.conf and containerd's `hosts.toml`: a pull from a repository under a
 * mirror's `prefix` tries the mirror `locations` in order, then the registry itself; a
 * `digest_only` mirror is only asked for content by digest (never trusted to resolve a tag);
 * `blocked` refuses the prefix. The request keeps its canonical URL everywhere above this
 * layer, so the cache, the lock and signatures see `registry/repository@digest` whichever
 * mirror delivered the bytes — and every digest is still checked by the layers above.
 *
 * @module
 */

import type { OciMirror } from "../config/types.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import { discardBody, type HttpRequest, type Send } from "./http.ts";
import { isLoopbackHost } from "./transport.ts";

/** What a request asks of a repository, read from its path. */
interface RegistryPath {
  repository: string;
  /** Whether the content is named by digest (blobs, manifests by digest, referrers). */
  byDigest: boolean;
}

/**
 * The mirror entry for `host/repository`: the one whose prefix matches the longest
 * (a prefix matches itself and anything below it, as in registries.conf).
 *
 * @example
 * ```ts
 * import { mirrorFor } from "./mirrors.ts";
 * import assert from "node:assert/strict";
 *
 * const mirrors = [
 *   { prefix: "r.io", locations: ["m1:5000"], digest_only: false, blocked: false },
 *   { prefix: "r.io/team", locations: ["m2:5000"], digest_only: true, blocked: false },
 * ];
 * assert.equal(mirrorFor(mirrors, "r.io", "team/aws")?.locations[0], "m2:5000");
 * assert.equal(mirrorFor(mirrors, "r.io", "teamx/aws")?.locations[0], "m1:5000");
 * assert.equal(mirrorFor(mirrors, "other.io", "team/aws"), undefined);
 * ```
 *
 * @param mirrors `[oci] mirrors`.
 * @param host The registry's `host[:port]`.
 * @param repository The repository, or `""` for the registry as a whole.
 * @returns The entry, or undefined.
 */
export function mirrorFor(
  mirrors: readonly OciMirror[],
  host: string,
  repository: string,
): OciMirror | undefined {
  const target = repository === "" ? host.toLowerCase() : `${host.toLowerCase()}/${repository}`;
  let best: OciMirror | undefined;
  for (const mirror of mirrors) {
    const matches = target === mirror.prefix || target.startsWith(`${mirror.prefix}/`);
    if (matches && (best === undefined || mirror.prefix.length > best.prefix.length)) {
      best = mirror;
    }
  }
  return best;
}

/**
 * The mirror layer: GET and HEAD of a mirrored repository go to each mirror location in turn
 * (one that is down, refuses, or lacks the content — 401/403/404/429/5xx — passes to the
 * next), then to the registry. Requests to a blocked prefix are refused.
 *
 * @param inner The layer below (auth, so each mirror is authenticated as its own host).
 * @param mirrors `[oci] mirrors`.
 * @param options `insecure` (plain HTTP to non-loopback mirrors) and a note sink.
 * @returns The layer.
 */
export function withMirrors(
  inner: Send,
  mirrors: readonly OciMirror[],
  options: { insecure: boolean; onNote?: (line: string, level?: "note" | "warning") => void },
): Send {
  const warned = new Set<string>();
  return async (request: HttpRequest): Promise<Response> => {
    const path = registryPath(request.url);
    const mirror = mirrorFor(mirrors, request.url.host, path?.repository ?? "");
    if (mirror?.blocked) {
      throw new ProvisioningError(
        "REGISTRY_BLOCKED",
        `"${mirror.prefix}" is blocked by [[oci.mirrors]] (blocked = true)`,
        { hint: "Use another registry, or remove the block from the configuration" },
      );
    }
    const pulls = request.method === "GET" || request.method === "HEAD";
    if (mirror === undefined || path === undefined || !pulls) return await inner(request);
    if (mirror.digest_only && !path.byDigest) return await inner(request);
    for (const location of mirror.locations) {
      const scheme = isLoopbackHost(location) || options.insecure ? "http" : "https";
      const url = new URL(`${scheme}://${location}${request.url.pathname}${request.url.search}`);
      try {
        // The retry layer sits above this one: the mirrors and the registry are retried as one.
        const response = await inner({ ...request, url });
        if (!PASS_ON.has(response.status) && response.status < 500) return response;
        await discardBody(response);
      } catch (error) {
        if (!isProvisioningError(error) || !MIRROR_DOWN.has(error.code)) throw error;
        if (!warned.has(location)) {
          warned.add(location);
          options.onNote?.(
            `Mirror "${location}" failed (${error.message}); trying the next`,
            "warning",
          );
        }
      }
    }
    return await inner(request);
  };
}

/** Statuses after which the next mirror (or the registry) is asked. */
const PASS_ON = new Set([401, 403, 404, 429]);

/** Errors that mean a mirror cannot be used now. */
const MIRROR_DOWN = new Set(["UNREACHABLE", "TIMEOUT", "INSECURE_TRANSPORT", "AUTH_REFUSED"]);

/** `/v2/<repository>/(manifests|blobs|tags|referrers)/…` read apart. */
function registryPath(url: URL): RegistryPath | undefined {
  const match = /^\/v2\/(.+)\/(manifests|blobs|tags|referrers)\/([^/]*)/.exec(url.pathname);
  if (match === null) return undefined;
  const [, repository, kind, reference] = match;
  const byDigest = kind === "blobs" || kind === "referrers" ||
    (kind === "manifests" && /^sha256:[0-9a-f]{64}$/.test(reference ?? ""));
  return { repository: repository!, byDigest };
}
