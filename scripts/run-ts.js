#!/usr/bin/env node
// Runs a TypeScript file (benchmarks, contract servers, harness scripts) without a build step:
// each .ts file is transpiled on require with the project's own TypeScript (no type check; `npm test`
// type-checks). Usage: node scripts/run-ts.js <file.ts> [args...]
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

require.extensions['.ts'] = function compileTs(module, filename) {
	const source = fs.readFileSync(filename, 'utf8');
	const { outputText } = ts.transpileModule(source, {
		fileName: filename,
		compilerOptions: {
			module: ts.ModuleKind.CommonJS,
			target: ts.ScriptTarget.ES2021,
			esModuleInterop: true,
			resolveJsonModule: true,
			sourceMap: false,
			inlineSourceMap: true,
		},
	});
	module._compile(outputText, filename);
};

const [, , file, ...args] = process.argv;
if (!file) {
	console.error('usage: node scripts/run-ts.js <file.ts> [args...]');
	process.exit(2);
}
process.argv = [process.argv[0], path.resolve(file), ...args];
require(path.resolve(file));
