import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { InternalError, UnknownChallengeError } from "../errors.ts";
import { challengesDir, solutionsDir } from "../paths.ts";
import { didYouMean } from "../text/did-you-mean.ts";
import type { ChallengeDefinition } from "./define-challenge.ts";

/** A challenge definition plus where its files live. */
export interface LoadedChallenge extends ChallengeDefinition {
  dir: string;
  entryPath: string;
  hiddenDir: string;
  referencePath: string;
  /** Absolute path of each stage's hidden test file, by stage slug. */
  stageFiles: Map<string, string>;
}

/** Slugs of every challenge folder that has a `challenge.ts`. */
export function listChallengeSlugs(): string[] {
  return readdirSync(challengesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(challengesDir, entry.name, "challenge.ts")))
    .map((entry) => entry.name)
    .sort();
}

export async function loadChallenge(slug: string): Promise<LoadedChallenge> {
  const known = listChallengeSlugs();
  if (!known.includes(slug)) throw new UnknownChallengeError(slug, didYouMean(slug, known), known);
  const dir = path.join(challengesDir, slug);
  const module = (await import(pathToFileURL(path.join(dir, "challenge.ts")).href)) as { default?: ChallengeDefinition };
  const definition = module.default;
  if (!definition || definition.slug !== slug) {
    throw new InternalError(`challenges/${slug}/challenge.ts must default-export defineChallenge({ slug: "${slug}", ... }).`);
  }
  const hiddenDir = path.join(dir, "hidden");
  return {
    ...definition,
    dir,
    entryPath: path.join(dir, definition.entry),
    hiddenDir,
    referencePath: path.join(solutionsDir, slug, "index.ts"),
    stageFiles: new Map(definition.stages.map((stage) => [stage.slug, path.join(hiddenDir, `${stage.slug}.test.ts`)])),
  };
}
