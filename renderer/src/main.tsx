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
const rootElement = document.getElementById('root');
if (rootElement) {
  createRoot(rootElement).render(
    <StrictMode>
      <WorkbenchContext.Provider value={store}>
        <App client={client} />
      </WorkbenchContext.Provider>
    </StrictMode>,
  );
}
