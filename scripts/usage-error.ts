/** A command-line mistake: the script prints its message and exits 2, without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
