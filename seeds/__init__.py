"""Demo data for doorstep: the Pudong doorstep service system, one or more districts."""

from seeds.demo import DEMO_FIGURES, load_demo

__all__ = ["DEMO_FIGURES", "load_demo"]
