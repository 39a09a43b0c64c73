"""The OpenStack half: what stays on OpenStack, as a residual Heat stack or k-orc objects."""
