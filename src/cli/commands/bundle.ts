/** `stimbench bundle`: the production app as one zip of static files, for any HTTPS host. */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { APP_OUT_DIR, ensureAppBuilt } from '../../appserver/appBuild.ts';
import { appContentSecurityPolicy } from '../../appserver/appPolicy.ts';
import { zipDirectory } from '../../appserver/zipBuild.ts';

export function bundleCommand(): Command {
  return new Command('bundle')
    .description('Write the production app as a zip of static files that any HTTPS host can serve (built first when needed).')
    .option('--out <file>', 'zip file to write', 'stimbench-app.zip')
    .addHelpText(
      'after',
      `
Examples:
  Make the zip and unpack it on a web server:
    npx stimbench bundle --out stimbench-app.zip

Serve it over HTTPS (Web Serial and WebUSB need a secure context) with this header on every response:
  Content-Security-Policy: ${appContentSecurityPolicy()}
(add your lab server's origin to connect-src).
`,
    )
    .action(async (opts: { out: string }) => {
      await ensureAppBuilt(APP_OUT_DIR, (line) => process.stderr.write(`stimbench bundle: ${line}\n`));
      const zip = zipDirectory(APP_OUT_DIR);
      writeFileSync(opts.out, zip);
      process.stdout.write(`StimBench app bundle: ${opts.out} (${(zip.length / 1024).toFixed(0)} kB)\n`);
    });
}
