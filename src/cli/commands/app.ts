/** `stimbench app`: serve the production app on localhost under its content security policy, and open it. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { labServerSource } from '../../appserver/appPolicy.ts';
import { APP_OUT_DIR, ensureAppBuilt } from '../../appserver/appBuild.ts';
import { startAppServer } from '../../appserver/serveApp.ts';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return n;
}

function labServer(value: string, previous: string[]): string[] {
  try {
    return [...previous, labServerSource(value)];
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** A browser can be opened: a desktop session on Linux, or macOS / Windows. */
function hasDisplay(): boolean {
  return process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

export function appCommand(): Command {
  return new Command('app')
    .description('Serve the StimBench app (production build) on localhost and open it in the browser. Web Serial and WebUSB need Chrome or Edge.')
    .addOption(new Option('--port <port>', 'port to listen on').default(5170).argParser(port))
    .addOption(new Option('--host <host>', 'address to listen on (keep 127.0.0.1: Web Serial needs a secure context, which plain HTTP is only on localhost)').default('127.0.0.1'))
    .addOption(new Option('--lab-server <origin...>', 'lab server the app may send records to (repeatable); the page can reach no other server').argParser(labServer).default([]))
    .addOption(new Option('--dir <dir>', 'serve this build instead of the project\'s dist/ (built when missing or older than the sources)'))
    .option('--no-open', 'do not open a browser')
    .addHelpText(
      'after',
      `
Examples:
  Serve and open the app:
    npx stimbench app

  Let the app sync records to the lab server on another machine:
    npx stimbench app --lab-server https://lab.example.org
`,
    )
    .action(async (opts: { port: number; host: string; labServer: string[]; dir?: string; open: boolean }) => {
      const dir = opts.dir ?? APP_OUT_DIR;
      if (!opts.dir) await ensureAppBuilt(dir, (line) => process.stderr.write(`stimbench app: ${line}\n`));
      const server = await startAppServer({ dir, port: opts.port, host: opts.host, labServers: opts.labServer });
      process.stdout.write(`StimBench app: ${server.url}\n`);
      if (opts.open && hasDisplay()) {
        const { default: open } = await import('open');
        await open(server.url).catch((error: unknown) => process.stderr.write(`stimbench app: could not open a browser (${String(error)}); open ${server.url} yourself\n`));
      }
      const stop = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
