/** What a scaffold is called: the npm package name and the reducer kind used on the command line. */
export interface ReducerNames {
  readonly packageName: string;
  readonly kind: string;
  readonly displayName: string;
  readonly className: string;
}

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Derives the names from what the user typed: "nmf", "latentkit-reducer-nmf" or "@acme/nmf" all give kind
 * "nmf". Returns a one-line reason instead when the name cannot be an npm package or a reducer kind.
 */
export function namesFor(input: string): ReducerNames | string {
  const packageName = input.trim();
  if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) return `"${input}" is not a valid npm package name (lowercase letters, digits, - . _ ~, optionally @scope/)`;
  const bare = packageName.replace(/^@[^/]+\//, '').replace(/^latentkit-(reducer-)?/, '');
  const kind = bare.replace(/[._~]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) return `cannot derive a reducer kind from "${input}": it must start with a letter (got "${kind}")`;
  const words = kind.split('-');
  const className = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return { packageName, kind, displayName: kind.toUpperCase().slice(0, 12), className };
}
