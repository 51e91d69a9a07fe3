"""Closed sets of words that users also read: each member's value is stored, its label shown."""

from enum import StrEnum


class Labelled(StrEnum):
    """A ``StrEnum`` whose members are declared as ``NAME = "value", "Label"``, so a code and
    the words shown for it are written once, side by side."""

    label: str

    # ``label`` has a default only so that looking a member up by its value,
    # ``CouponKind("store")``, type-checks; every member declares its label.
    def __new__(cls, value: str, label: str = "") -> "Labelled":
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
