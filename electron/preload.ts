// The preload of the workbench window (sandboxed, context-isolated): exposes one method per
// contract request and a subscription per event stream as `window.vexfs`. Nothing else:
// no generic invoke or send, no MessagePort, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.js';
import { EVENT_NAMES, REQUEST_NAMES } from './contractNames.js';

contextBridge.exposeInMainWorld('vexfs', buildBridge(ipcRenderer, REQUEST_NAMES, EVENT_NAMES));
