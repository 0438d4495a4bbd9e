// Renders results twice: a plain-text table for the terminal and the markdown of docs/benchmarks.md.

const COLUMNS = [
  ['metric', 'figure'],
  ['value', 'median'],
  ['spread', 'min – max'],
  ['n', 'N'],
  ['target', 'target'],
  ['mark', ''],
];

/** One scenario as aligned text lines. */
export function textTable(result) {
  const header = `== ${result.title}${result.status === 'ok' ? '' : ` — ${result.status.toUpperCase()}`}`;
  if (result.status !== 'ok') return [header, `   ${result.message}`, ''].join('\n');
  const cells = [COLUMNS.map(([, name]) => name), ...result.rows.map((row) => COLUMNS.map(([key]) => String(row[key] ?? '')))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  const lines = cells.map((line) =>
    line
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd(),
  );
  return [header, ...lines.map((line) => `   ${line}`), ...result.notes.map((note) => `   · ${note}`), ''].join('\n');
}

const escapeCell = (text) => String(text).replaceAll('|', '\\|');

/** The whole docs/benchmarks.md. */
export function markdownReport({ machine, command, results, scenarios, elapsedMs }) {
  const out = [
    '# Benchmarks',
    '',
    `Written by \`${command}\` (bench/run.mjs); do not edit by hand, run it again. Figures are medians of N runs with`,
    'their min – max; ratios are taken run by run between variants measured side by side in the same round, and their',
    'median is given. Targets come from issues 9, 10 and 11; they are marked, never asserted. Figures only compare with',
    'figures from the same machine: the machine was shared while these ran, so noise is possible (see the spread).',
    '',
    '| | |',
    '| --- | --- |',
    `| machine | ${machine.cpu}, ${machine.memory}, ${machine.os} |`,
    `| Node | ${machine.node} |`,
    `| date | ${machine.date} |`,
    `| commit | ${machine.commit} |`,
    `| load average at start | ${machine.loadAtStart} |`,
    `| bench wall time | ${(elapsedMs / 1_000).toFixed(0)} s |`,
    '',
  ];
  for (const result of results) {
    const scenario = scenarios.find((s) => s.id === result.id);
    out.push(`## ${result.title}`, '');
    if (result.status !== 'ok') out.push(`**${result.status}**: ${escapeCell(result.message)}`, '');
    else {
      out.push(`| ${COLUMNS.map(([, name]) => name).join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`);
      for (const row of result.rows) out.push(`| ${COLUMNS.map(([key]) => escapeCell(row[key] ?? '')).join(' | ')} |`);
      out.push('');
      for (const note of result.notes) out.push(`- ${note}`);
      if (result.notes.length) out.push('');
    }
    if (scenario?.how?.length) out.push('How it is measured:', '', ...scenario.how.map((line) => `- ${line}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
