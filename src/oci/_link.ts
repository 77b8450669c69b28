/**
 * `Link` header pagination (RFC 8288 `rel="next"`), private to the OCI client.
 *
 * @module
 */

/**
 * The `rel="next"` target of a `Link` header, resolved against the request URL.
 *
 * @param header The `Link` header value.
 * @param requestUrl The URL the page was requested from.
 * @returns The next page's URL, or `undefined`.
 */
export function nextLink(header: string | null, requestUrl: URL): URL | undefined {
  if (header === null) return undefined;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const params = match[2] ?? "";
    if (/;\s*rel\s*=\s*"?(?:[^";,]*\s)?next(?:\s[^";,]*)?"?/i.test(params)) {
      try {
        return new URL(match[1]!, requestUrl);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
