import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root, wherever the harness is run from. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const challengesDir = path.join(repoRoot, "challenges");
export const solutionsDir = path.join(repoRoot, "solutions");
