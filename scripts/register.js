// Runs TypeScript sources directly (CLI tasks, benchmarks) with SWC and the tsconfig
// path aliases (@app/iran, @app/common).
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || require('node:path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
