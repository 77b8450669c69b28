import { ProvisioningError } from "../errors.ts";
import { isLoopbackHostname } from "../net/is_loopback_hostname.ts";

/**
 * Checks a Gitea/Forgejo server URL against the transport policy and normalises it: HTTPS,
 * or plain HTTP only to a loopback host (`localhost`, `127.0.0.0/8`, `::1`) unless
 * `insecure`; no credentials in the URL (use a token); the result ends with `/` and keeps a
 * sub-path (`https://example.com/gitea/`). A trailing `api/v1` is dropped. Nothing is
 * contacted.
 *
 * @example
 * ```ts
 * import { giteaBaseUrl } from "./gitea_base_url.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(giteaBaseUrl("https://git.example.com/api/v1").href, "https://git.example.com/");
 * assert.equal(giteaBaseUrl("http://127.0.0.1:3000").href, "http://127.0.0.1:3000/");
 * assert.throws(() => giteaBaseUrl("http://git.example.com"), { code: "INSECURE_TRANSPORT" });
 * ```
 *
 * @param url The configured URL.
 * @param options `insecure` allows plain HTTP to any host.
 * @returns The base URL, ending with `/`.
 * @throws {ProvisioningError} `INSECURE_TRANSPORT` (exit 5) for plain HTTP to a non-loopback
 *   host; `INVALID_CONFIG` (exit 2) for what is not an http(s) URL or carries credentials.
 */
export function giteaBaseUrl(url: string, options: { insecure?: boolean } = {}): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (cause) {
    throw new ProvisioningError("INVALID_CONFIG", `Cannot use Gitea URL "${url}": not a URL`, {
      cause,
      hint: "Write it as https://git.example.com",
    });
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot use Gitea URL "${parsed.protocol}//***@${parsed.host}${parsed.pathname}": it contains credentials`,
      { hint: "Remove them from the URL and configure a token instead" },
    );
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ProvisioningError(
      "INVALID_CONFIG",
      `Cannot use Gitea URL "${parsed.href}": only https:// (or http:// to a loopback host) is supported`,
    );
  }
  if (parsed.protocol === "http:" && !options.insecure && !isLoopbackHostname(parsed.hostname)) {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing plain HTTP to Gitea "${parsed.host}": only loopback hosts may use http://`,
      { hint: "Use the server's https:// URL" },
    );
  }
  parsed.search = "";
  parsed.hash = "";
  parsed.pathname = parsed.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "") + "/";
  return parsed;
}
