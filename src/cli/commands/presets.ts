/**
 * `stimbench presets`: the preset catalogue — built-in presets and programmes plus the user's own, kept
 * in a catalogue file in the app's `stimbench-presets` v1 format. Import uses the app's own validation
 * (parsePresetFile, checkResultingCatalogue): what the app refuses is refused here, and nothing is
 * written unless the whole file passes.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { exportPresetFile } from '../../lib/presets/exportPresetFile.ts';
import { PresetError, PresetImportError, CatalogueRuleError } from '../../lib/presets/errors.ts';
import type { Preset } from '../../lib/presets/types.ts';
import { DEFAULT_CATALOGUE_FILE, importIntoCatalogue, loadCatalogue, readJsonFile } from '../catalogue.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { createOutput, mA } from '../output.ts';

const catalogueOption = () => new Option('--catalogue <file>', 'the user preset catalogue').default(DEFAULT_CATALOGUE_FILE);
const jsonOption = () => new Option('--json', 'JSON on stdout (the default when stdout is not a terminal)');
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

function presetLine(p: Preset, builtin: boolean): string {
  const g = p.program;
  return `${p.id.padEnd(26)} ${(builtin ? 'built-in' : 'user').padEnd(9)} ${g.mode.padEnd(17)} ${`${g.frequencyDeciHz / 10} Hz`.padStart(8)} ${`${g.pulseWidthUs} µs`.padStart(7)}  up to ${mA(g.amplitudeUa).padEnd(6)} ${minutes(g.durationMs).padStart(7)}  ${p.name}`;
}

export function presetsCommand(): Command {
  const command = new Command('presets').description('List, show, export and import presets and programmes (the app\'s exchange format).');
  command.addHelpText(
    'after',
    `
Examples:
  npx stimbench presets list
  npx stimbench presets show conventional-tens
  npx stimbench presets export --out my-presets.json          (every user preset and programme)
  npx stimbench presets export conventional-tens --out one.json
  npx stimbench presets import lab-presets.json               (checked as the app checks an import)
${EXIT_CODES_HELP}
`,
  );

  command
    .command('list')
    .description('Every preset and programme: id, built-in or user, mode, rate, pulse width, ceiling, length, name.')
    .addHelpText('after', `\nExamples:\n  npx stimbench presets list\n  npx stimbench presets list --catalogue lab-catalogue.json --json\n`)
    .addOption(catalogueOption())
    .addOption(jsonOption())
    .action(async (options: { catalogue: string; json?: boolean }) => {
      const out = createOutput(options);
      const catalogue = await loadCatalogue(options.catalogue);
      for (const { preset, builtin } of catalogue.presets) {
        out.event('preset', { id: preset.id, name: preset.name, builtin, mode: preset.program.mode, program: preset.program, startAmplitudeUa: preset.startAmplitudeUa, placeholders: preset.placeholders ?? [] }, presetLine(preset, builtin));
      }
      for (const { programme, builtin } of catalogue.programmes) {
        out.event('programme', { id: programme.id, name: programme.name, builtin, courseLengthDays: programme.courseLengthDays, slots: programme.slots.length }, `${programme.id.padEnd(26)} ${(builtin ? 'built-in' : 'user').padEnd(9)} programme: ${programme.slots.length} session(s) a day for ${programme.courseLengthDays} days  ${programme.name}`);
      }
      process.exitCode = EXIT.ok;
    });

  command
    .command('show')
    .description('One preset or programme in full: program, suggested start, citations, notes.')
    .addHelpText('after', `\nExamples:\n  npx stimbench presets show conventional-tens\n  npx stimbench presets show my-preset --catalogue lab-catalogue.json --json\n`)
    .argument('<id>', 'preset or programme id')
    .addOption(catalogueOption())
    .addOption(jsonOption())
    .action(async (id: string, options: { catalogue: string; json?: boolean }) => {
      const out = createOutput(options);
      const catalogue = await loadCatalogue(options.catalogue);
      const preset = catalogue.presets.find((p) => p.preset.id === id);
      const programme = catalogue.programmes.find((p) => p.programme.id === id);
      if (!preset && !programme) throw new CliError(EXIT.refused, `no preset or programme "${id}" (list them with: stimbench presets list)`);
      if (out.json) {
        out.event(preset ? 'preset' : 'programme', { builtin: (preset ?? programme)!.builtin, ...(preset ? { preset: preset.preset } : { programme: programme!.programme }) }, null);
      } else if (preset) {
        const p = preset.preset;
        const g = p.program;
        out.text(`${p.name} (${p.id}, ${preset.builtin ? 'built-in' : 'user'})`);
        out.text(`  ${p.summary}`);
        out.text(`  Mode ${g.mode}, ${g.waveform}, ${g.frequencyDeciHz / 10} Hz, ${g.pulseWidthUs} µs, up to ${mA(g.amplitudeUa)} (suggested start ${mA(p.startAmplitudeUa)}), ${minutes(g.durationMs)}, ramps ${g.rampUpMs / 1000} s up / ${g.rampDownMs / 1000} s down`);
        if (p.placeholders?.length) out.text(`  Placeholders to replace before it can run: ${p.placeholders.join(', ')}`);
        for (const note of p.notes) out.text(`  Note: ${note}`);
        for (const c of p.citations) out.text(`  Source: ${c.authors} (${c.year}). ${c.title}. ${c.source}${c.doi ? `. doi:${c.doi}` : ''}`);
      } else {
        const g = programme!.programme;
        out.text(`${g.name} (${g.id}, ${programme!.builtin ? 'built-in' : 'user'})`);
        out.text(`  ${g.summary}`);
        out.text(`  ${g.slots.length} session(s) a day for ${g.courseLengthDays} days`);
        for (const slot of g.slots) out.text(`  Slot: ${JSON.stringify(slot)}`);
      }
      process.exitCode = EXIT.ok;
    });

  command
    .command('export')
    .description('Write presets and programmes as a stimbench-presets file (default: every user entry).')
    .addHelpText('after', `\nExamples:\n  npx stimbench presets export --out my-presets.json\n  npx stimbench presets export conventional-tens burst-tens --out two.json\n`)
    .argument('[ids...]', 'ids of presets and programmes to export (built-in or user)')
    .addOption(new Option('--out <file>', 'write here instead of stdout'))
    .addOption(catalogueOption())
    .action(async (ids: string[], options: { catalogue: string; out?: string }) => {
      const catalogue = await loadCatalogue(options.catalogue);
      let presets = catalogue.user.presets;
      let programmes = catalogue.user.programmes;
      if (ids.length > 0) {
        const unknown = ids.filter((id) => !catalogue.presets.some((p) => p.preset.id === id) && !catalogue.programmes.some((p) => p.programme.id === id));
        if (unknown.length > 0) throw new CliError(EXIT.refused, `no preset or programme ${unknown.map((u) => `"${u}"`).join(', ')}`);
        presets = catalogue.presets.filter((p) => ids.includes(p.preset.id)).map((p) => p.preset);
        programmes = catalogue.programmes.filter((p) => ids.includes(p.programme.id)).map((p) => p.programme);
      }
      const text = `${exportPresetFile(presets, programmes)}\n`;
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
      process.exitCode = EXIT.ok;
    });

  command
    .command('import')
    .description('Add the presets and programmes of a file to the user catalogue, with the app\'s checks (all or nothing).')
    .addHelpText('after', `\nExamples:\n  npx stimbench presets import lab-presets.json\n  cat lab-presets.json | npx stimbench presets import - --catalogue lab-catalogue.json\n`)
    .argument('<file>', "a stimbench-presets file ('-' for stdin)")
    .addOption(catalogueOption())
    .addOption(jsonOption())
    .action(async (file: string, options: { catalogue: string; json?: boolean }) => {
      const out = createOutput(options);
      const input = await readJsonFile(file);
      try {
        const added = await importIntoCatalogue(options.catalogue, input);
        out.event('imported', { ...added, catalogue: options.catalogue }, `Imported ${added.presets} preset(s) and ${added.programmes} programme(s) into ${options.catalogue}.`);
      } catch (error) {
        if (error instanceof PresetImportError || error instanceof CatalogueRuleError) {
          const issues = error.issues.map((i) => `  ${i.path || '(file)'}: ${i.message} (expected ${i.expected}, got ${i.got})`).join('\n');
          throw new CliError(EXIT.refused, `${file} was not imported (nothing was written):\n${issues}`);
        }
        if (error instanceof PresetError) throw new CliError(EXIT.refused, `${file} was not imported: ${error.message}`);
        throw error;
      }
      process.exitCode = EXIT.ok;
    });
  return command;
}
