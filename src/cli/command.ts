/**
 * Typed yargs commands: a command's argument type is what its builder declares, so an option's type,
 * default or `demandOption` cannot disagree with what the handler reads.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';

/** A builder: adds positionals and options to the parser and returns it with their types. */
type Builder<A> = (y: Argv) => Argv<A>;

/** The arguments a builder declares (without yargs' `_`, `$0` and camelCase copies). */
export type ArgsOf<B> = B extends (y: Argv) => Argv<infer A> ? A : never;

interface CommandSpec<A> {
  command: string;
  describe: string;
  builder: Builder<A>;
  handler: (argv: ArgumentsCamelCase<A>) => void | Promise<void>;
}

/** A command whose handler's argument type is inferred from its builder. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandModule<object, A> {
  return spec;
}
