// `npm run serve`: build, then `labwarden serve` with the arguments after `--`
// (`npm run serve -- --port 5000 --open`). Headless: the UI in a browser, the API over a WebSocket.
import { CLI_BUNDLE, appArgs, buildQuietly, runAttached, runMain } from './lib/launch.mjs';

runMain(async () => {
  if (!buildQuietly()) return 1;
  return runAttached(process.execPath, [CLI_BUNDLE, 'serve', ...appArgs()]);
});
