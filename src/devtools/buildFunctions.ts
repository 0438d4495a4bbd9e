import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * `npm run build` (its last step): bundles the Functions app with esbuild into the deployment package, `dist/`.
 *
 * - `dist/bundle/functions/index.js` is the one entry the host loads (package.json "main"): every registration
 *   module of src/functions/, imported in turn as the host imported them one by one before, with everything they
 *   use. Code splitting puts what the app imports lazily (the storage SDK and the identity library, node-fetch and
 *   proxy-agent, csv-stringify) into chunks next to it that are read only when first imported, so a cold start of
 *   the orchestrators and the status endpoints never parses them.
 * - External, i.e. not in the bundle: `@azure/functions-core`, which exists nowhere on disk (the Functions worker
 *   hands it to `require` at run time), and `kerberos`, a native optional peer of proxy-agent, imported only for a
 *   proxy asking for Negotiate authentication and never installed (without it that proxy gets a clear error, as it
 *   did before bundling). Every npm dependency is bundled: none has native parts, and their dynamic imports
 *   (proxy-agent's agents) name literal packages that esbuild follows. So the package needs no node_modules, and
 *   Azure runs no `npm install` (azure.yaml `remoteBuild: false`): Core Tools, an optional dependency, is never
 *   installed there.
 * - Source maps (`.map` next to each file, without the sources' text) are shipped; the app setting
 *   `NODE_OPTIONS=--enable-source-maps` (infra/app/api.bicep) makes stack traces name src/ files and lines.
 * - `dist/package.json` and `dist/host.json` make dist/ a Functions app of its own (azure.yaml `dist: dist`), and
 *   `dist/.funcignore` keeps the commands' compiled sources (`dist/src/`), the build stamp and esbuild's account of
 *   the bundle (`dist/bundle/metafile.json`: every input and import of every output, read by the host-contract
 *   test and by esbuild's bundle analyzer) out of the upload.
 */

/** The project root, from this module's compiled place, dist/src/devtools/. */
const ROOT = new URL('../../../', import.meta.url);
const FUNCTIONS = new URL('src/functions/', ROOT);
const DIST = new URL('dist/', ROOT);
const OUT = new URL('bundle/functions/', DIST);
const METAFILE = new URL('bundle/metafile.json', DIST);
const ENTRY = 'fxgold:functions';

/** The entry module: one import per registration file, so a new function file is bundled without a list to keep. */
const registrationsEntry: Plugin = {
  name: 'registrations-entry',
  setup(bundler) {
    bundler.onResolve({ filter: new RegExp(`^${ENTRY}$`) }, () => ({ path: ENTRY, namespace: 'entry' }));
    bundler.onLoad({ filter: /.*/, namespace: 'entry' }, () => ({
      contents: readdirSync(FUNCTIONS)
        .filter((file) => file.endsWith('.ts'))
        .sort()
        .map((file) => `import './${file}';`)
        .join('\n'),
      resolveDir: fileURLToPath(FUNCTIONS),
      loader: 'ts',
    }));
  },
};

async function buildFunctions(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true }); // no stale chunk of an earlier build
  const { metafile } = await build({
    entryPoints: [{ in: ENTRY, out: 'index' }],
    plugins: [registrationsEntry],
    bundle: true,
    format: 'esm',
    splitting: true,
    platform: 'node',
    target: 'node20',
    outdir: fileURLToPath(OUT),
    sourcemap: 'linked',
    sourcesContent: false,
    external: ['@azure/functions-core', 'kerberos'],
    // The CommonJS packages inside (@azure/functions, durable-functions, ...) call `require` for Node's built-ins and
    // for @azure/functions-core; an ES module has none, so each file gets one. Names chosen not to meet bundled code.
    banner: {
      js: "import { createRequire as __fxgoldCreateRequire } from 'node:module'; const require = __fxgoldCreateRequire(import.meta.url);",
    },
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(METAFILE, JSON.stringify(metafile));

  const { name, version } = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { name: string; version: string };
  const deployed = { name, version, private: true, type: 'module', main: 'bundle/functions/index.js' };
  writeFileSync(new URL('package.json', DIST), `${JSON.stringify(deployed, null, 2)}\n`);
  copyFileSync(new URL('host.json', ROOT), new URL('host.json', DIST));
  writeFileSync(
    new URL('.funcignore', DIST),
    '# Written by the build (src/devtools/buildFunctions.ts): what azd must not upload from dist/.\nsrc/\n.build-stamp\nbundle/metafile.json\n',
  );
}

// Silent on success, as tsc is: `npm run once` and `npm start` build first.
await buildFunctions();
