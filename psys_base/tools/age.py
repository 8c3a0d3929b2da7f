"""Age brackets and genders of the statistics (INSEE-like brackets)."""

AGE_BRACKETS = [
    ("under_12", "Under 12"),
    ("12_17", "12 to 17"),
    ("18_25", "18 to 25"),
    ("26_39", "26 to 39"),
    ("40_59", "40 to 59"),
    ("60_74", "60 to 74"),
    ("75_plus", "75 and over"),
    ("unknown", "Unknown"),
]
# Lower bound of each bracket, oldest first.
AGE_BRACKET_FLOORS = [(75, "75_plus"), (60, "60_74"), (40, "40_59"), (26, "26_39"), (18, "18_25"), (12, "12_17")]
GENDERS = [
    ("female", "Woman"),
    ("male", "Man"),
    ("other", "Other or non-binary"),
    ("undisclosed", "Not disclosed"),
]


def age_bracket_for(age):
    for floor, bracket in AGE_BRACKET_FLOORS:
        if age >= floor:
            return bracket
    return "under_12"
