// The MNIST view's training worker: a module worker of its own (the
// playground's web/js/worker.js holds a different session; each view is
// its own page, so only one of them runs, and the MNIST digits, up to a
// few hundred MB of floats for the full 60k set, stay out of the
// playground's engine). The session is web/js/mnist_session.js.
import { loadEngine } from './engine.js';
import { serve } from './rpc.js';
import { createMnistSession } from './mnist_session.js';

serve(loadEngine().then((engine) => createMnistSession(engine)));
