import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectElectronClient, electronBridgeAvailable } from './api/electronClient.js';
import { connectWebSocketClient } from './api/webSocketClient.js';
import { App } from './App.js';
import { WorkbenchContext } from './state/useWorkbench.js';
import { connectEvents, createWorkbench } from './state/workbench.js';
import './styles.css';

// One transport per launch: the desktop bridge in the window, the WebSocket in a browser.
const client = electronBridgeAvailable() ? connectElectronClient() : connectWebSocketClient();
// Recent stores are kept in localStorage in the browser; the desktop shell keeps them on disk.
const store = createWorkbench({ client, storage: window.localStorage });
connectEvents(store, client);
// Asked before React's first render, so the engine's answer overlaps it rather than following it.
const hello = client.call('engine/hello', {});
void store.getState().loadOpenStores();
const rootElement = document.getElementById('root');
if (rootElement) {
  createRoot(rootElement).render(
    <StrictMode>
      <WorkbenchContext.Provider value={store}>
        <App client={client} hello={hello} />
      </WorkbenchContext.Provider>
    </StrictMode>,
  );
}
