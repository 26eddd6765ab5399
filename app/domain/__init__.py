"""Pure rules with no database and no Qt: parsing, maths, state machines."""
