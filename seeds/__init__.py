"""Demo data for doorstep: the Pudong doorstep service system, one or more districts."""

from seeds.demo import DEMO_FIGURES, load_demo, load_steps

__all__ = ["DEMO_FIGURES", "load_demo", "load_steps"]
