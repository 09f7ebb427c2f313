/**
 * The keys transactions lock to take turns on the same leads and accounts (`StoreTx.lockSubjects`).
 * Ingest and reassignment must build them the same way, or they would not wait for each other.
 */
export function subjectKeys(subjects: {
  readonly emails?: Iterable<string>;
  readonly externalIds?: Iterable<string>;
  readonly domains?: Iterable<string>;
}): string[] {
  return [
    ...[...(subjects.emails ?? [])].map((email) => `email:${email}`),
    ...[...(subjects.externalIds ?? [])].map((id) => `id:${id}`),
    ...[...(subjects.domains ?? [])].map((domain) => `account:${domain}`),
  ];
}
