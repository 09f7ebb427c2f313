/**
 * The style of every table the CLI prints: no colour codes. cli-table3 colours headers and borders by
 * default, and those codes end up in pipes and files (`^[[90m`), whatever NO_COLOR says.
 */
export const PLAIN = Object.freeze({ head: [] as string[], border: [] as string[] });
