// Test fixtures for the packaging tests: sample extension trees on disk and a runner for the
// system's tar/diff.

/** A tree to write: path → file content, `{ dir: true }` for an empty folder. */
export type Tree = Record<string, string | { dir: true } | { symlink: string }>;

/** The manifest of the sample extension (with a comment that must survive a rewrite). */
export const SAMPLE_MANIFEST = `# Sample taskserv used by the packaging tests
extension:
  name: demo-ext
  version: "1.2.3" # bumped by CI
  type: taskserv
  description: A demo extension
  author: Test Author
metadata:
  license: MIT
`;

/** A deterministic text of about `bytes` bytes. */
export function filler(bytes: number, seed = 1): string {
  let out = "";
  let i = seed;
  while (out.length < bytes) {
    out += `line ${i} ${"abcdefghij".slice(0, i % 10)}\n`;
    i++;
  }
  return out.slice(0, bytes);
}

/** Sample extension with nested folders, an executable, a symlink and a >100-byte path. */
export const SAMPLE_TREE: Tree = {
  "extension.yaml": SAMPLE_MANIFEST,
  "kcl/main.k": "schema Demo:\n    name: str\n",
  "kcl/sub/util.k": filler(3000),
  "scripts/install.sh": "#!/bin/sh\necho install\n",
  "templates/config.j2": "{{ name }}\n",
  "docs/README.md": "# Demo\n",
  "docs/latest.md": { symlink: "README.md" },
  "empty": { dir: true },
  [`${"long-folder-name-".repeat(4)}/${"nested-".repeat(6)}/${"file-".repeat(10)}.txt`]:
    "far away\n",
};

/** Writes `tree` into a new temp directory and returns its path. */
export async function makeTree(tree: Tree, prefix = "publish-test-"): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix });
  await writeTree(dir, tree);
  if ("scripts/install.sh" in tree) await Deno.chmod(`${dir}/scripts/install.sh`, 0o755);
  return dir;
}

/** Writes `tree` into an existing directory. */
export async function writeTree(dir: string, tree: Tree): Promise<void> {
  for (const [path, item] of Object.entries(tree)) {
    const abs = `${dir}/${path}`;
    await Deno.mkdir(abs.slice(0, abs.lastIndexOf("/")), { recursive: true });
    if (typeof item === "string") await Deno.writeTextFile(abs, item);
    else if ("dir" in item) await Deno.mkdir(abs, { recursive: true });
    else await Deno.symlink(item.symlink, abs);
  }
}

/** Result of {@linkcode run}. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a system command with `TZ=UTC`, capturing its output. */
export async function run(command: string, args: string[], cwd?: string): Promise<RunResult> {
  const output = await new Deno.Command(command, {
    args,
    env: { TZ: "UTC", LC_ALL: "C" },
    stdout: "piped",
    stderr: "piped",
    ...(cwd === undefined ? {} : { cwd }),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** Every path (relative, sorted) under `dir`, for "nothing was written" checks. */
export async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(rel === "" ? dir : `${dir}/${rel}`)) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      out.push(path);
      if (entry.isDirectory) await walk(path);
    }
  };
  await walk("");
  return out.sort();
}
