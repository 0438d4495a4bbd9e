// Fallback file census when strace is missing or not permitted: preloaded first, it wraps the fs calls that open a
// file by path (Node's CJS and ESM loaders read module sources through them) and writes the paths' count at exit.
// It misses what Node opens natively (package.json lookups, shared libraries), so it counts fewer than strace.
'use strict';
const fs = require('node:fs');
const { writeFileSync } = fs;

const file = process.env.BENCH_OPENS_FILE;
if (file) {
  const opened = [];
  const wrap = (owner, name) => {
    const original = owner[name];
    if (typeof original !== 'function') return;
    owner[name] = function (path, ...rest) {
      opened.push(String(path));
      return original.call(this, path, ...rest);
    };
  };
  for (const name of ['openSync', 'open', 'readFileSync', 'readFile', 'createReadStream']) wrap(fs, name);
  for (const name of ['open', 'readFile']) wrap(fs.promises, name);
  process.on('exit', () => writeFileSync(file, JSON.stringify(opened)));
}
