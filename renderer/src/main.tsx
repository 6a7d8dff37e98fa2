import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectElectronClient, electronBridgeAvailable } from './api/electronClient.js';
import { connectWebSocketClient } from './api/webSocketClient.js';
import { App } from './App.js';
import './styles.css';

// One transport per launch: the desktop bridge in the window, the WebSocket in a browser.
const client = electronBridgeAvailable() ? connectElectronClient() : connectWebSocketClient();
const rootElement = document.getElementById('root');
if (rootElement) {
  createRoot(rootElement).render(
    <StrictMode>
      <App client={client} />
    </StrictMode>,
  );
}
