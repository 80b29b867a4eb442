import { UsageError } from './usage-error.js';

/** What a command accepts: flags that take a value, and flags that are simple switches. */
export interface ArgSpec {
  readonly command: string;
  readonly values?: readonly string[];
  readonly switches?: readonly string[];
  /** Flags whose value may be two words, e.g. `--store redis URL`: the first words that take a second. */
  readonly twoWord?: Readonly<Record<string, readonly string[]>>;
  /** Most positional arguments. Default 0. */
  readonly maxPositionals?: number;
}

/** Parsed command-line arguments: `--name value` / `--name=value`, switches and positionals. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/** Parses `argv` against `spec`; an unknown flag or a missing value is a UsageError naming it. */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positionals: string[] = [];
  const valueFlags = new Set(spec.values ?? []);
  const switchFlags = new Set([...(spec.switches ?? []), 'help']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      switches.add('help');
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (switchFlags.has(name)) {
      if (eq !== -1) throw new UsageError(`${spec.command}: --${name} takes no value`);
      switches.add(name);
    } else if (valueFlags.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--')))
        throw new UsageError(`${spec.command}: --${name} needs a value`);
      const second = eq === -1 && spec.twoWord?.[name]?.includes(value) ? argv[i + 1] : undefined;
      if (second !== undefined && !second.startsWith('--')) {
        values.set(name, `${value} ${second}`);
        i++;
      } else {
        values.set(name, value);
      }
    } else {
      throw new UsageError(`${spec.command}: unknown option --${name} (try 'botcache help ${spec.command}')`);
    }
  }
  if (!switches.has('help') && positionals.length > (spec.maxPositionals ?? 0))
    throw new UsageError(`${spec.command}: unexpected argument '${positionals[spec.maxPositionals ?? 0]}'`);
  return { values, switches, positionals };
}

/** A whole number flag within bounds; anything else is a UsageError that names the flag. */
export function intFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number } = {},
): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${raw}')`);
  return value;
}
