import { Command } from 'commander';
import { listFamilies } from '@collab-ts/models';
import { kebab } from '../family-options.js';
import { createOutput } from '../io/output.js';

function show(v: unknown): string {
  if (v === null) return 'none';
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** `collab models`: every registered model family with its tasks, method, peer name, options and defaults. */
export function modelsCommand(): Command {
  return new Command('models')
    .description('list the model families: what each is for (rating, ranking), how it learns, its name in peer libraries, and its options with defaults')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', '\nExamples:\n  $ collab models\n  $ collab models --json | jq ".[].kind"')
    .action((opts: { json?: boolean }) => {
      const out = createOutput(opts);
      const families = listFamilies().map((f) => ({
        kind: f.kind,
        summary: f.summary,
        tasks: [...f.tasks],
        method: f.method,
        peerName: f.peerName ?? null,
        backends: [...f.backends],
        options: f.options.map((o) => ({ name: o.name, flag: `--${kebab(o.name)}`, type: o.type, default: o.default ?? null, ...(o.default === undefined ? { derived: true } : {}), help: o.help, ...(o.choices ? { choices: [...o.choices] } : {}), ...(o.min !== undefined ? { min: o.min } : {}), ...(o.max !== undefined ? { max: o.max } : {}) })),
      }));
      if (out.jsonMode) {
        out.json(families);
        return;
      }
      for (const f of families) {
        out.result(`${f.kind}  (${f.tasks.join(' + ')}; ${f.method}${f.peerName ? `; peer: ${f.peerName}` : ''}; backends: ${f.backends.join(', ')})`);
        out.result(`  ${f.summary}`);
        const w = Math.max(...f.options.map((o) => o.flag.length));
        for (const o of f.options) out.result(`    ${o.flag.padEnd(w)}  ${o.type.padEnd(6)} default ${('derived' in o ? 'from data' : show(o.default)).padEnd(9)} ${o.help}`);
      }
    });
}
