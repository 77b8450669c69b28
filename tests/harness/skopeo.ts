/**
 * skopeo, the independent OCI client the interop tests check us against: whether it is
 * installed (the tests are ignored without it, except on CI where that is a failure) and
 * running it.
 *
 * @module
 */

/**
 * Whether an executable `name` is in a folder of `PATH`.
 *
 * @param name The program.
 * @returns True when found.
 */
export function onPath(name: string): boolean {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (dir !== "" && Deno.statSync(`${dir}/${name}`).isFile) return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

/**
 * Whether skopeo is missing, saying so: on CI (`CI=true`) a test named
 * `skopeo is installed for {tests}` fails; elsewhere one `SKIP: skopeo not found; {skip}`
 * line goes to stderr. The caller registers its tests only when this is false.
 *
 * @param names `tests`: what the tests are, for the failing test's name; `skip`: the rest of
 *   the SKIP line.
 * @returns True when skopeo is not on `PATH`.
 */
export function skopeoMissing(names: { tests: string; skip: string }): boolean {
  const missing = !onPath("skopeo");
  if (missing && Deno.env.get("CI") === "true") {
    Deno.test(`skopeo is installed for ${names.tests}`, () => {
      throw new Error("skopeo not found; install it with apt-get install skopeo");
    });
  } else if (missing) {
    console.error(`SKIP: skopeo not found; ${names.skip}`);
  }
  return missing;
}

/**
 * Runs `skopeo ARGS…`.
 *
 * @param args Its arguments.
 * @returns Its stdout.
 * @throws {Error} With its stderr, when it fails.
 */
export async function skopeo(...args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command("skopeo", { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`skopeo ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}
