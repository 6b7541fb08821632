"""``N_`` marks a string for extraction where it is defined as data and translated later."""


def N_(message: str) -> str:
    return message
