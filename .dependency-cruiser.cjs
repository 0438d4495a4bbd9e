/**
 * The layers of src/, lowest first, enforced by dependency-cruiser in `npm run lint` (README: Layout). A folder may
 * import its own files and the folders of lower layers, nothing else: so an import against the order fails, and two
 * folders can never import each other (a cycle between folders needs an import against the order, or within a
 * layer, which is refused too). The one exception is src/functions/names.ts, the registered function names: the
 * contract with the host, which the orchestrators call by name; it imports nothing. The dashboard page (web/) is
 * bundled for the browser: of src/ it may import only contract/, the read API's answers, which imports nothing else.
 */
const LAYERS = [
  ['contract'],
  ['domain'],
  ['quality', 'storage', 'clients', 'analysis', 'dashboard'],
  ['config'],
  ['pipeline'],
  ['backfill', 'reading'],
  ['orchestration'],
  ['http'],
  ['devtools'],
  ['functions', 'cli'],
];

const FUNCTION_NAMES = 'functions/names\\.ts$';

const root = 'src';
const at = (folder) => `^${root}/${folder}/`;

/** Plain data (dependency-cruiser clones its configuration); test/unit/layers.test.ts runs them on planted trees. */
const forbidden = (() => {
  const rules = LAYERS.flatMap((layer, rank) =>
    layer.map((folder) => {
      const notBelow = LAYERS.slice(rank)
        .flat()
        .filter((other) => other !== folder);
      return {
        name: `layer-${folder}`,
        comment: `${folder}/ may import only ${LAYERS.slice(0, rank).flat().join(', ') || 'itself'} (layers in .dependency-cruiser.cjs)`,
        severity: 'error',
        from: { path: at(folder) },
        to: { path: `^${root}/(${notBelow.join('|')})/`, pathNot: `^${root}/${FUNCTION_NAMES}` },
      };
    }),
  );
  return [
    ...rules,
    {
      name: 'names-import-nothing',
      comment: 'functions/names.ts is imported from every layer, so it imports nothing itself',
      severity: 'error',
      from: { path: `^${root}/${FUNCTION_NAMES}` },
      to: { path: '.' },
    },
    {
      name: 'http-no-activity-adapters',
      comment: 'an HTTP handler calls the step it needs (src/backfill/, src/pipeline/), never an activity adapter',
      severity: 'error',
      from: { path: `^${root}/http/` },
      to: { path: `^${root}/orchestration/(activities|backfillActivities|activityOutcome)\\.ts$` },
    },
    {
      name: 'web-only-contract',
      comment: 'the dashboard page (web/) runs in the browser: of src/ it imports only contract/, the answers it reads',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: `^${root}/`, pathNot: at('contract') },
    },
    {
      name: 'unknown-folder',
      comment: 'every folder of src/ has its place in LAYERS',
      severity: 'error',
      from: { path: `^${root}/`, pathNot: `^${root}/(${LAYERS.flat().join('|')})/` },
      to: {},
    },
    { name: 'no-cycle', comment: 'no module imports itself through others', severity: 'error', from: {}, to: { circular: true } },
  ];
})();

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
