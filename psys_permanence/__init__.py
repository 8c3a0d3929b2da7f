from . import demo, models, wizards
