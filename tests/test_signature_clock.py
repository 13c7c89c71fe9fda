"""signed_blog reads a signature's time from the signature's own match: the same time (or none)
as parse_clock of the clock it shows, on the day the signature names."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpuskit.layouts.base import parse_clock, parse_month_date
from corpuskit.layouts.signed_blog import _read_signature

_clocks = st.builds(
    lambda h, m, space, half, dot1, mm, dot2: f"{h}:{m}{space}{half}{dot1}{mm}{dot2}",
    st.sampled_from(["0", "1", "9", "09", "12", "13", "00", "23", "٣"]),  # ٣: an Arabic-Indic 3
    st.sampled_from(["00", "07", "59", "60", "99"]),
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from("AaPp"),
    st.sampled_from(["", "."]),
    st.sampled_from("Mm"),
    st.sampled_from(["", "."]),
)
_days = st.sampled_from(
    [("March", "30", "2011"), ("February", "29", "2012"), ("February", "29", "2011")]
)


@settings(max_examples=400, deadline=None)
@given(_clocks, _days, st.sampled_from(["reader77", "Mary J", "Bob on the Hill"]))
def test_signature_time_is_parse_clock_of_its_clock(
    clock: str, day: tuple[str, str, str], name: str
) -> None:
    month, day_no, year = day
    read = _read_signature(f"{name} on {month} {day_no}, {year} at {clock}")
    on = parse_month_date(month, day_no, year)
    when = parse_clock(on, clock) if on else None
    assert read == ((name, when) if when else None)
