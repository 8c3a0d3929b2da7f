"""Workshop and cycle indicators computed in batch: a fixed number of
queries for any number of workshops and cycles (``_read_group`` and one
read of the questionnaire lines), not a few queries per workshop."""

from collections import Counter, defaultdict


def alliance_stats(lines):
    """Stats of alliance answers [(value, ratio, user_input_id)]: the mean
    on one scale everywhere (out of 5: 1 + 4 x the normalised mean, the plain
    mean for the 1-to-5 questions), the normalised mean (0 to 1), the
    distribution of the values and the number of questionnaires."""
    if not lines:
        return {"mean": 0.0, "ratio": 0.0, "distribution": {}, "respondents": 0, "answers": 0}
    ratio = sum(line[1] for line in lines) / len(lines)
    return {
        "mean": round(1 + 4 * ratio, 2),
        "ratio": round(ratio, 4),
        "distribution": dict(Counter(line[0] for line in lines)),
        "respondents": len({line[2] for line in lines}),
        "answers": len(lines),
    }


def alliance_lines_by_event(env, event_ids):
    """{event id: [(value, ratio, user_input_id)]} of the completed
    questionnaires of these workshops, in three queries."""
    # Aggregates only: numbers from the scale questions, never the free text;
    # the readers of a cycle or of the reports need them even without the
    # questionnaire rights.
    Line = env["survey.user_input.line"].sudo()
    rows = Line.search_read(
        [
            ("user_input_id.psys_event_id", "in", list(event_ids)),
            ("user_input_id.state", "=", "done"),
            ("user_input_id.test_entry", "=", False),
            ("question_id.psys_alliance", "=", True),
            ("answer_type", "=", "scale"),
            ("skipped", "=", False),
        ],
        ["value_scale", "question_id", "user_input_id"],
        load=None,
    )
    if not rows:
        return {}
    questions = {
        question["id"]: (question["scale_min"], question["scale_max"])
        for question in env["survey.question"]
        .sudo()
        .browse({row["question_id"] for row in rows})
        .read(["scale_min", "scale_max"])
    }
    events = {
        user_input["id"]: user_input["psys_event_id"]
        for user_input in env["survey.user_input"]
        .sudo()
        .browse({row["user_input_id"] for row in rows})
        .read(["psys_event_id"], load=None)
    }
    by_event = defaultdict(list)
    for row in rows:
        low, high = questions[row["question_id"]]
        ratio = (row["value_scale"] - low) / ((high - low) or 1)
        by_event[events[row["user_input_id"]]].append((row["value_scale"], ratio, row["user_input_id"]))
    return by_event


def attendance_by_event(env, event_ids):
    """{event id: (named beneficiary ids, anonymous attendances, head count)}."""
    attended = env["event.registration"]._read_group(
        [("event_id", "in", list(event_ids)), ("state", "=", "done")],
        ["event_id", "psys_beneficiary_id"],
        ["__count"],
    )
    counted = dict(
        env["psys.workshop.headcount"]._read_group([("event_id", "in", list(event_ids))], ["event_id"], ["count:sum"])
    )
    result = defaultdict(lambda: [set(), 0, 0])
    for event, beneficiary, count in attended:
        if beneficiary:
            result[event.id][0].add(beneficiary.id)
        else:
            result[event.id][1] += count
    for event, count in counted.items():
        result[event.id][2] = count or 0
    return result
