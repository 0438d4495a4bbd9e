// Preloaded (--require) into every cold-load child, the `node -e 0` one included, so all three variants carry the
// same small extra. At exit it writes what the kernel says the process used, read from the inside
// (getrusage through process.resourceUsage), because /usr/bin/time is not everywhere and polling /proc from the
// parent can miss the peak of a short process: CPU user+system and the peak resident set (ru_maxrss, KiB).
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        cpuMicros: usage.userCPUTime + usage.systemCPUTime,
        maxRssKiB: usage.maxRSS,
        loaded: globalThis.__benchLoaded ?? null,
      }),
    );
  });
}
