// Private: the error thrown when a manifest or an extension directory has problems.
import { type ErrorCode, ProvisioningError } from "../errors.ts";

const HINT = "An extension.yaml needs extension.name, extension.version (MAJOR.MINOR.PATCH) " +
  "and extension.type (provider, taskserv or cluster)";

/**
 * One error carrying every problem line: the message is the problem itself when there is
 * exactly one, otherwise `<label>: N problems found`; `details` holds every line.
 */
export function problemsError(
  code: ErrorCode,
  label: string,
  lines: readonly string[],
): ProvisioningError {
  const message = lines.length === 1 && lines[0] !== undefined
    ? lines[0]
    : `${label}: ${lines.length} problems found`;
  return new ProvisioningError(code, message, { hint: HINT, details: lines });
}
