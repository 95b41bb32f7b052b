/** A mistake in what was asked (versions, window): callers map it to a usage error. */
export class RankInputError extends Error {
  override readonly name = 'RankInputError';
}

/** A policy file that cannot be read or does not validate; names the file and the field. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`policy ${file}: ${field ? `${field}: ` : ''}${problem}`);
  }
}
