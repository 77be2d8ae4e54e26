"""The domain, pure: recipe models, layers -> parameters, fans and gains, schemes, the plan."""
