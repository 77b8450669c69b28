// Test helper: lay out an extension directory in a real temp dir.
import { dirname, join } from "../fs/path.ts";

/** What to create: files with their text, directories, and symbolic links (path → target). */
export interface Layout {
  files?: Record<string, string>;
  dirs?: readonly string[];
  links?: Record<string, string>;
}

/** A minimal valid manifest. */
export const MINIMAL_MANIFEST = "extension:\n  name: aws\n  version: 2.4.1\n  type: provider\n";

/** Creates `layout` under a new temp dir and returns the dir; remove it with `Deno.remove`. */
export async function makeExtensionDir(layout: Layout): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "manifest_test_" });
  for (const dir of layout.dirs ?? []) await Deno.mkdir(join(root, dir), { recursive: true });
  for (const [path, text] of Object.entries(layout.files ?? {})) {
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  for (const [path, target] of Object.entries(layout.links ?? {})) {
    await Deno.symlink(target, join(root, path));
  }
  return root;
}
