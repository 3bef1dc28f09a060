/** The learner's module threw while being imported (syntax error, top-level throw). */
export class SolutionImportError extends Error {
  override name = "SolutionImportError";
}

/** The learner's module loaded but lacks an export the challenge requires. */
export class MissingExportError extends Error {
  override name = "MissingExportError";
}
