// Module hooks that let a plain `node` child run latentkit's TypeScript sources (tests measure peak RSS in a
// fresh process, so they cannot run inside vitest). Only transpiles: type errors are the typecheck's job.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const COMPILER_OPTIONS = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false };

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    // Sources import './x.js' for a sibling x.ts (NodeNext style).
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && relative && specifier.endsWith('.js')) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw e;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const out = ts.transpileModule(await readFile(path, 'utf8'), { fileName: path, compilerOptions: COMPILER_OPTIONS });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
