"""Root conftest. The Hypothesis profiles (dev, ci, live) are the conformance plugin's: it registers
them and loads one (`--hypothesis-profile NAME`, else CONFORMANCE_HYPOTHESIS_PROFILE, else `ci` under
CI, else `dev`). Nothing here depends on the plugin, so `pytest -p no:conformance` works in this repo."""
