import { InvalidArgumentError } from 'commander';

/**
 * A commander argument parser that refuses an empty or blank value, so
 * `--repo ""` is a usage error instead of silently meaning the current
 * directory (or `--sarif ""` silently writing nothing). Commander prefixes the
 * message with the option's name: `option '--repo <dir>' argument '' is invalid. …`.
 *
 * @example new Command('run').option('--repo <dir>', 'repository', nonEmptyArgument('a directory, e.g. --repo .'), '.');
 */
export function nonEmptyArgument(expected: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '') throw new InvalidArgumentError(`it is empty; give ${expected}`);
    return value;
  };
}
