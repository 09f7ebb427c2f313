/** `revops schema [--out FILE]`: the JSON Schema of revops.yaml, for editors. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchema } from '../../config/schema/index.ts';
import { EXIT, write, type CliIo } from '../io.ts';

export function schemaCommand(io: CliIo, options: { out?: string }): number {
  const schema = Object.assign({}, configJsonSchema(), {
    $id: 'https://revops-engine.dev/schema/revops.schema.json',
    title: 'revops.yaml',
  });
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (options.out) {
    writeFileSync(resolve(io.cwd, options.out), text);
    write(
      io.stderr,
      `wrote ${options.out}; point your editor at it, e.g. first line of revops.yaml:\n# yaml-language-server: $schema=./${options.out}`,
    );
  } else {
    io.stdout.write(text);
  }
  return EXIT.ok;
}
