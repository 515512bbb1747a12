"""The year-axis cumulative helpers give exactly numpy's results."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from flerarsprognos.model.years import cumprod, cumsum


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.integers(1, 8)),
              elements=st.floats(-3, 3, allow_nan=False)))
def test_same_as_numpy(x):
    np.testing.assert_array_equal(cumprod(x), np.cumprod(x, axis=-1))
    np.testing.assert_array_equal(cumsum(x), np.cumsum(x, axis=-1))
    row = np.broadcast_to(x[:1], x.shape)  # the same path for every scenario
    np.testing.assert_array_equal(cumprod(row), np.cumprod(row, axis=-1))
    np.testing.assert_array_equal(cumsum(row), np.cumsum(row, axis=-1))
