#!/usr/bin/env node
import { resolve } from 'node:path';
import { namesFor } from './names.js';
import { scaffold } from './scaffold.js';
import { latentkitRange } from './version.js';

const USAGE = 'usage: create-reducer <package-name> [--dir <folder>]   (e.g. npm create @latentkit/reducer latentkit-reducer-nmf)';

async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const dirAt = args.indexOf('--dir');
  const dirArg = dirAt >= 0 ? args.splice(dirAt, 2)[1] : undefined;
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1 || (dirAt >= 0 && !dirArg)) {
    console.error(`create-reducer: ${USAGE}`);
    return 2;
  }
  const names = namesFor(args[0]!);
  if (typeof names === 'string') {
    console.error(`create-reducer: ${names}`);
    return 2;
  }
  const dir = resolve(dirArg ?? names.packageName.replace(/^@[^/]+\//, ''));
  try {
    const files = await scaffold({ names, dir, latentkitRange: latentkitRange() });
    console.log(`created ${names.packageName} (reducer "${names.kind}") in ${dir}: ${files.length} files`);
    console.log(`next: cd ${dir} && npm install && npm test && npm run build && npm pack`);
    return 0;
  } catch (e) {
    console.error(`create-reducer: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
