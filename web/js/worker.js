// Training off the main thread: a module worker that owns the playground's
// dataset and model in the WASM engine and answers requests from
// web/js/rpc.js. It never touches the DOM; the session is
// web/js/play_session.js (node tests drive the same session).
import { loadEngine } from './engine.js';
import { serve } from './rpc.js';
import { createSession } from './play_session.js';

serve(loadEngine().then(createSession));
