// The served workbench in a process of its own, for measurements: prints one JSON line with its URL.
import { EngineHost } from '../../engine/api/EngineHost.js';
import { serveWorkbench } from '../../engine/api/server/servedMode.js';

const [workspace, staticDir] = process.argv.slice(2);
if (workspace === undefined || staticDir === undefined) {
  console.error('usage: servedChild WORKSPACE STATIC_DIR');
  process.exit(2);
}
const host = new EngineHost({ workspaceRoot: workspace });
const served = await serveWorkbench({ host, staticDir });
console.log(JSON.stringify({ url: served.url }));
process.on('SIGTERM', () => {
  void served.close().then(() => host.close().then(() => process.exit(0)));
});
