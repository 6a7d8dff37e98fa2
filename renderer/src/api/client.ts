import type {
  ApiError,
  EventName,
  EventPayload,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../../engine/api/contract/index.js';

/** A failure the engine reported: its code and its sentence, as the UI shows them. */
export class EngineError extends Error {
  readonly code: string;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'EngineError';
    this.code = error.code;
  }
}

/**
 * The renderer's one way to the engine: typed by the contract. The desktop window and the
 * browser each provide a transport; the UI never knows which.
 */
export interface ApiClient {
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  readonly transport: 'websocket' | 'electron';
}
