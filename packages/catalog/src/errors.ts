/**
 * A mistake in what the caller handed us (a version string, a file, a spec document). The CLI turns
 * it into a usage error (exit code 2); the message always names what was wrong and where.
 */
export class CatalogInputError extends Error {
  override readonly name = 'CatalogInputError';
}
