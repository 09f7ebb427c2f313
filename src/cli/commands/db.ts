/** `revops db migrate`: brings the database schema up to date (also done at every start). */
import { databaseTarget, migrateDatabase } from '../../compose.ts';
import { EXIT, write, type CliIo } from '../io.ts';

export async function dbMigrateCommand(io: CliIo, options: { db?: string }): Promise<number> {
  const { description, applied } = await migrateDatabase(databaseTarget(options.db, io.cwd));
  write(
    io.stdout,
    applied.length === 0
      ? `${description}: schema up to date`
      : `${description}: applied ${applied.join(', ')}`,
  );
  return EXIT.ok;
}
