"""The examples' tests use coach's test kit the way an app's tests would."""

from coach.testing import fake_judge  # noqa: F401 (the pytest fixture)
