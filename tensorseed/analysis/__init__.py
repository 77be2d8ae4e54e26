"""Why initialization matters: signal propagation through depth, measured and predicted.

* ``models``: the request (a sequential network, its initialization, the batch) and its limits.
* ``activations``: the activation functions, their derivatives, and their Gaussian moments
  (exact where a closed form exists, Gauss-Hermite quadrature otherwise).
* ``meanfield``: the mean-field variance recursion q_{l+1} = fan Var(w) E[phi(h_l)^2] + Var(b),
  forward and backward, with the weights' and biases' moments from the recipe's schemes.
* ``propagation``: the measured forward and backward pass (numpy, float64) on a batch drawn
  from the stream, per-layer statistics, and the verdict (stable, vanishing, exploding).
* ``plots`` and ``tables``: pictures (SVG, PNG) and terminal tables of statistics and propagation.
"""
